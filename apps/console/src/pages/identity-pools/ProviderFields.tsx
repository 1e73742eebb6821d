// One Cognito authentication provider of an identity pool: "User Pool ID" and "App client id" as text fields (the
// walkthrough pastes them from the scratch pad), with pickers that fill them from ListUserPools / ListUserPoolClients;
// and the list of them, with "Add another provider".
import type { Dispatch, SetStateAction } from 'react';
import { Checkbox, Select, TextField, useLoad } from '../../components/ui';
import { CLIENT_ID, USER_POOL_ID, listAllClients, type PoolSummary } from './shared';

export interface ProviderDraft {
  /** A stable key for React lists. */
  key: number;
  poolId: string;
  clientId: string;
  serverSideTokenCheck: boolean;
}

let nextKey = 1;
export function newProvider(poolId = '', clientId = '', serverSideTokenCheck = false): ProviderDraft {
  return { key: nextKey++, poolId, clientId, serverSideTokenCheck };
}

/** The problems of a list of drafts (empty drafts are skipped), or [] when they can be saved. */
export function providerProblems(drafts: ProviderDraft[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  drafts.forEach((d, i) => {
    const poolId = d.poolId.trim();
    const clientId = d.clientId.trim();
    if (!poolId && !clientId) return;
    const which = drafts.length > 1 ? ` of provider ${i + 1}` : '';
    if (!USER_POOL_ID.test(poolId)) problems.push(`The User Pool ID${which} must look like us-east-1_AbCdEf123.`);
    if (!CLIENT_ID.test(clientId)) problems.push(`The App client id${which} must be letters, digits and underscores.`);
    const key = `${poolId}/${clientId}`;
    if (seen.has(key)) problems.push(`The user pool ${poolId} with app client ${clientId} is listed twice.`);
    seen.add(key);
  });
  return problems;
}

export function ProviderFields(props: {
  index: number;
  value: ProviderDraft;
  pools: PoolSummary[];
  onChange: (v: ProviderDraft) => void;
  onRemove?: () => void;
  showTokenCheck?: boolean;
}) {
  const { value, pools, onChange, index } = props;
  const suffix = index > 0 ? ` (provider ${index + 1})` : '';
  const poolId = value.poolId.trim();
  const knownPool = pools.some((p) => p.Id === poolId);
  const clients = useLoad(() => (USER_POOL_ID.test(poolId) && knownPool ? listAllClients(poolId) : Promise.resolve([])), [poolId, knownPool]);
  const clientList = clients.data ?? [];
  const clientId = value.clientId.trim();
  return (
    <fieldset className="provider">
      <legend>{`Cognito provider ${index + 1}`}</legend>
      <div className="pickers">
        <Select
          label={`Pick a user pool${suffix}`}
          value={knownPool ? poolId : ''}
          options={[
            { value: '', label: pools.length ? '— choose a user pool —' : '— no user pools —' },
            ...pools.map((p) => ({ value: p.Id, label: `${p.Name} (${p.Id})` })),
          ]}
          onChange={(id) => onChange({ ...value, poolId: id, clientId: id === poolId ? value.clientId : '' })}
        />
        <Select
          label={`Pick an app client${suffix}`}
          value={clientList.some((c) => c.ClientId === clientId) ? clientId : ''}
          options={[
            { value: '', label: !knownPool ? '— pick a user pool first —' : clientList.length ? '— choose an app client —' : '— no app clients —' },
            ...clientList.map((c) => ({ value: c.ClientId, label: `${c.ClientName} (${c.ClientId})` })),
          ]}
          onChange={(id) => onChange({ ...value, clientId: id })}
        />
        <TextField label={`User Pool ID${suffix}`} value={value.poolId} placeholder="us-east-1_AbCdEf123" onChange={(v) => onChange({ ...value, poolId: v })} />
        <TextField
          label={`App client id${suffix}`}
          value={value.clientId}
          placeholder="1h57kf5cpq17m0eml12EXAMPLE"
          onChange={(v) => onChange({ ...value, clientId: v })}
        />
      </div>
      {props.showTokenCheck && (
        <Checkbox
          label={`Server-side token check${suffix}`}
          checked={value.serverSideTokenCheck}
          onChange={(v) => onChange({ ...value, serverSideTokenCheck: v })}
          hint="Stored as Cognito does (there it makes the identity pool ask the user pool whether the token was revoked). Corral checks each ID token's signature, issuer, app client and expiry either way, and does not yet check revocation here."
        />
      )}
      {props.onRemove && (
        <button type="button" className="link" onClick={props.onRemove}>
          {`Remove provider ${index + 1}`}
        </button>
      )}
    </fieldset>
  );
}

/** The providers' fields, each removable (but the last one, with `keepOne`), then "Add another provider". */
export function ProviderList(props: {
  providers: ProviderDraft[];
  setProviders: Dispatch<SetStateAction<ProviderDraft[]>>;
  pools: PoolSummary[];
  showTokenCheck?: boolean;
  keepOne?: boolean;
}) {
  const { providers, setProviders } = props;
  return (
    <>
      {providers.map((p, i) => (
        <ProviderFields
          key={p.key}
          index={i}
          value={p}
          pools={props.pools}
          showTokenCheck={props.showTokenCheck}
          onChange={(v) => setProviders((list) => list.map((x) => (x.key === p.key ? v : x)))}
          onRemove={props.keepOne && providers.length < 2 ? undefined : () => setProviders((list) => list.filter((x) => x.key !== p.key))}
        />
      ))}
      <button type="button" className="secondary" onClick={() => setProviders((list) => [...list, newProvider()])}>
        {providers.length ? 'Add another provider' : 'Add a provider'}
      </button>
    </>
  );
}
