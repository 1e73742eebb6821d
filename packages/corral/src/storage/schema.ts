// The database's tables, as each migration declares them.
import type { Tables0001 } from './migrations/0001_pools.js';
import type { Tables0002 } from './migrations/0002_users.js';
import type { Tables0003 } from './migrations/0003_tokens.js';
import type { Tables0004 } from './migrations/0004_outbox.js';
import type { Tables0005 } from './migrations/0005_codes.js';
import type { Tables0007 } from './migrations/0007_groups.js';
import type { Tables0008 } from './migrations/0008_identities.js';
import type { Tables0010 } from './migrations/0010_spent_sessions.js';
import type { Tables0011 } from './migrations/0011_devices.js';
import type { Tables0013 } from './migrations/0013_oauth.js';

export interface DB extends Tables0001, Tables0002, Tables0003, Tables0004, Tables0005, Tables0007, Tables0008, Tables0010, Tables0011, Tables0013 {}
