// The database's tables, as each migration declares them.
import type { Tables0001 } from './migrations/0001_pools.js';

export interface DB extends Tables0001 {}
