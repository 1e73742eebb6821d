// "Edit identity pool": name, unauthenticated access, Cognito providers (add/remove, server-side token check), the
// basic (classic) flow → UpdateIdentityPool (which takes the whole pool); and "Delete identity pool".
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { identity } from '../../lib/api';
import { ActionButton, Checkbox, TextField } from '../../components/ui';
import { useAction } from '../../components/form';
import type { PoolPageProps } from './IdentityPoolPages';
import { ProviderList, newProvider, providerProblems, type ProviderDraft } from './ProviderFields';
import { IDENTITY_POOL_NAME, poolIdOfProvider, providerName, SaveChanges, useUserPools } from './shared';

export function EditIdentityPool({ pool, reload }: PoolPageProps) {
  const navigate = useNavigate();
  const pools = useUserPools();
  const [name, setName] = useState(pool.IdentityPoolName ?? '');
  const [unauth, setUnauth] = useState(!!pool.AllowUnauthenticatedIdentities);
  const [classic, setClassic] = useState(!!pool.AllowClassicFlow);
  const [providers, setProviders] = useState<ProviderDraft[]>(() =>
    (pool.CognitoIdentityProviders ?? []).map((p) => newProvider(poolIdOfProvider(p.ProviderName), p.ClientId ?? '', !!p.ServerSideTokenCheck)),
  );
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const found: string[] = [];
    const trimmed = name.trim();
    if (!IDENTITY_POOL_NAME.test(trimmed)) found.push('The identity pool name may have letters, digits, spaces and + = , . @ - _ (1 to 128).');
    found.push(...providerProblems(providers));
    setProblems(found);
    setSaved(false);
    if (found.length) return;
    await run(async () => {
      const given = providers.filter((p) => p.poolId.trim() || p.clientId.trim());
      await identity('UpdateIdentityPool', {
        ...pool,
        IdentityPoolId: pool.IdentityPoolId!,
        IdentityPoolName: trimmed,
        AllowUnauthenticatedIdentities: unauth,
        AllowClassicFlow: classic,
        CognitoIdentityProviders: given.map((p) => ({
          ProviderName: providerName(p.poolId.trim()),
          ClientId: p.clientId.trim(),
          ServerSideTokenCheck: p.serverSideTokenCheck,
        })),
      });
      setSaved(true);
      reload();
    });
  };

  const others = [
    ...Object.entries(pool.SupportedLoginProviders ?? {}).map(([k, v]) => `${k}: ${v}`),
    ...(pool.DeveloperProviderName ? [`Developer provider: ${pool.DeveloperProviderName}`] : []),
    ...(pool.OpenIdConnectProviderARNs ?? []).map((a) => `OpenID Connect: ${a}`),
    ...(pool.SamlProviderARNs ?? []).map((a) => `SAML: ${a}`),
  ];

  return (
    <>
      <form className="panel" onSubmit={(e) => void save(e)} noValidate>
        <h2>Edit identity pool</h2>
        <TextField label="Identity pool name" value={name} onChange={setName} required />
        <h3>Unauthenticated identities</h3>
        <Checkbox label="Enable access to unauthenticated identities" checked={unauth} onChange={setUnauth} />
        <h3>Authentication flow settings</h3>
        <Checkbox
          label="Allow Basic (Classic) Flow"
          checked={classic}
          onChange={setClassic}
          hint="Stored as Cognito does. Corral has no STS, so the basic flow's AssumeRoleWithWebIdentity step is not served."
        />
        <h3>Authentication providers: Cognito</h3>
        {providers.length === 0 && <p className="hint">No Cognito user pool provider: only unauthenticated identities (if enabled) can get credentials.</p>}
        <ProviderList providers={providers} setProviders={setProviders} pools={pools.data ?? []} showTokenCheck />
        <p className="hint">Role mappings of a removed provider stay stored until you save the role mappings again.</p>
        {others.length > 0 && (
          <>
            <h3>Other providers (kept as they are)</h3>
            <ul>
              {others.map((o) => (
                <li key={o}>
                  <code>{o}</code>
                </li>
              ))}
            </ul>
          </>
        )}
        <SaveChanges problems={problems} error={error} busy={busy} saved={saved && 'Changes saved.'} />
      </form>
      <section className="panel danger-zone">
        <h2>Delete identity pool</h2>
        <p>Deleting the pool deletes its identities; apps using its id can no longer get credentials.</p>
        <ActionButton
          kind="danger"
          confirm={`Delete identity pool ${pool.IdentityPoolName}? Its identities are deleted with it.`}
          onClick={async () => {
            await identity('DeleteIdentityPool', { IdentityPoolId: pool.IdentityPoolId! });
            await navigate('/identity-pools', { replace: true });
          }}
        >
          Delete identity pool
        </ActionButton>
      </section>
    </>
  );
}
