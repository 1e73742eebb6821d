// "Create new identity pool", as the walkthrough's console: name, unauthenticated access, "Authentication providers"
// (tab Cognito: User Pool ID + App client id, typed or picked), "Create Pool" → CreateIdentityPool; then the roles step
// "Your Cognito identities require access to your resources" → "Allow" (SetIdentityPoolRoles) or "Don't Allow"; then
// the pool's dashboard with its id (the scratch pad).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { identity, type IdentityOutput } from '../../lib/api';
import { Checkbox, ErrorNotice, Notice, PageTitle, TextField } from '../../components/ui';
import { useAction } from '../../components/form';
import { ProviderList, newProvider, providerProblems, type ProviderDraft } from './ProviderFields';
import { RolesStep } from './RolesStep';
import { Expander, IDENTITY_POOL_NAME, identityPoolPath, ProblemList, providerName, Tabs, useUserPools } from './shared';
import './identity-pools.css';

const FEDERATION_TABS = ['Amazon', 'Apple', 'Facebook', 'Google', 'Twitter', 'OpenID', 'SAML', 'Custom'];

export function CreateIdentityPool() {
  const navigate = useNavigate();
  const pools = useUserPools();
  const [name, setName] = useState('');
  const [unauth, setUnauth] = useState(false);
  const [classic, setClassic] = useState(false);
  const [providers, setProviders] = useState<ProviderDraft[]>(() => [newProvider()]);
  const [problems, setProblems] = useState<string[]>([]);
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<IdentityOutput<'CreateIdentityPool'>>();

  if (created) {
    return (
      <RolesStep
        pool={created}
        onDone={(allowed) => void navigate(identityPoolPath(created.IdentityPoolId!), { state: { created: true, rolesAllowed: allowed } })}
      />
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: string[] = [];
    const trimmed = name.trim();
    if (!trimmed) found.push('Enter an identity pool name.');
    else if (!IDENTITY_POOL_NAME.test(trimmed)) found.push('The identity pool name may have letters, digits, spaces and + = , . @ - _ (up to 128).');
    found.push(...providerProblems(providers));
    setProblems(found);
    if (found.length) return;
    await run(async () => {
      const given = providers.filter((p) => p.poolId.trim() || p.clientId.trim());
      const pool = await identity('CreateIdentityPool', {
        IdentityPoolName: trimmed,
        AllowUnauthenticatedIdentities: unauth,
        AllowClassicFlow: classic,
        CognitoIdentityProviders: given.map((p) => ({ ProviderName: providerName(p.poolId.trim()), ClientId: p.clientId.trim(), ServerSideTokenCheck: false })),
      });
      setCreated(pool);
    });
  };

  const cognitoTab = (
    <>
      <p className="hint">
        Users of these user pools sign in to the app client and exchange their ID token for an identity (GetId) and AWS credentials (GetCredentialsForIdentity).
      </p>
      {pools.error !== undefined && <Notice kind="error">The user pools could not be listed for the pickers; type the ids instead.</Notice>}
      <ProviderList providers={providers} setProviders={setProviders} pools={pools.data ?? []} keepOne />
    </>
  );

  return (
    <>
      <PageTitle>Create new identity pool</PageTitle>
      <p>
        Identity pools hand out AWS credentials, through roles, to the users of your user pools (and, if you allow it, to guests).{' '}
        <Link to="/identity-pools">Back to identity pools</Link>
      </p>
      <form className="panel" onSubmit={(e) => void submit(e)} noValidate>
        <h2>Step 1: Create identity pool</h2>
        <TextField label="Identity pool name" value={name} onChange={setName} required autoFocus hint="Example: My App Name" />
        <h3>Unauthenticated identities</h3>
        <Checkbox
          label="Enable access to unauthenticated identities"
          checked={unauth}
          onChange={setUnauth}
          hint="Guests (no sign-in) get an identity and the unauthenticated role's credentials."
        />
        <h3>Authentication flow settings</h3>
        <Checkbox
          label="Allow Basic (Classic) Flow"
          checked={classic}
          onChange={setClassic}
          hint="Stored as Cognito does. Corral has no STS, so the basic flow's AssumeRoleWithWebIdentity step is not served; use the enhanced flow (GetCredentialsForIdentity)."
        />
        <Expander title="Authentication providers">
          <Tabs
            label="Authentication providers"
            tabs={[
              { id: 'cognito', title: 'Cognito', content: cognitoTab },
              ...FEDERATION_TABS.map((t) => ({
                id: t.toLowerCase(),
                title: t,
                content: <Notice>{t} sign-in for identity pools comes with federation (issue 13). Corral identity pools take Cognito user pools today.</Notice>,
              })),
            ]}
          />
        </Expander>
        <ProblemList problems={problems} />
        <ErrorNotice error={error} />
        <div className="form-actions">
          <Link to="/identity-pools">Cancel</Link>
          <button type="submit" className="primary" disabled={busy}>
            Create Pool
          </button>
        </div>
      </form>
    </>
  );
}
