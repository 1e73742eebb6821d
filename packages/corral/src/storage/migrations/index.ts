// Every migration, in order. Add a new file as NNNN_name.ts and list it here; never edit a released one.
import type { Migration } from 'kysely';
import * as m0001 from './0001_pools.js';
import * as m0002 from './0002_users.js';
import * as m0003 from './0003_tokens.js';
import * as m0004 from './0004_outbox.js';
import * as m0005 from './0005_codes.js';
import * as m0007 from './0007_groups.js';
import * as m0008 from './0008_identities.js';
import * as m0010 from './0010_spent_sessions.js';
import * as m0011 from './0011_devices.js';
import * as m0013 from './0013_oauth.js';
import * as m0014 from './0014_outbox_sealed.js';
import * as m0015 from './0015_server_key.js';
import * as m0016 from './0016_counters.js';
import * as m0017 from './0017_pending_attributes.js';
import * as m0018 from './0018_refresh_spent_session.js';
import * as m0019 from './0019_invocations.js';
import * as m0020 from './0020_user_search.js';
import * as m0021 from './0021_user_import_jobs.js';
import * as m0022 from './0022_invocation_logs.js';
import * as m0024 from './0024_webauthn_credentials.js';
import * as m0026 from './0026_saml.js';
import * as m0023 from './0023_identity_providers.js';
import * as m0027 from './0027_federated_users.js';

export const migrations: Record<string, Migration> = {
  '0001_pools': m0001,
  '0002_users': m0002,
  '0003_tokens': m0003,
  '0004_outbox': m0004,
  '0005_codes': m0005,
  '0007_groups': m0007,
  '0008_identities': m0008,
  '0010_spent_sessions': m0010,
  '0011_devices': m0011,
  '0013_oauth': m0013,
  '0014_outbox_sealed': m0014,
  '0015_server_key': m0015,
  '0016_counters': m0016,
  '0017_pending_attributes': m0017,
  '0018_refresh_spent_session': m0018,
  '0019_invocations': m0019,
  '0020_user_search': m0020,
  '0021_user_import_jobs': m0021,
  '0022_invocation_logs': m0022,
  '0024_webauthn_credentials': m0024,
  '0026_saml': m0026,
  '0023_identity_providers': m0023,
  '0027_federated_users': m0027,
};
