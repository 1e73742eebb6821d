// Roles (authenticated / unauthenticated role ARNs) and role mappings per Cognito provider — "Use default role",
// "Choose role from token" (Type Token) or "Choose role with rules" (Type Rules: Claim, Match type, Value, Role ARN),
// with the role resolution for ambiguous cases — GetIdentityPoolRoles / SetIdentityPoolRoles.
import { useEffect, useState, type FormEvent } from 'react';
import type { MappingRule, RoleMapping } from '@aws-sdk/client-cognito-identity';
import { identity, type IdentityOutput } from '../../lib/api';
import { ErrorNotice, Loading, Notice, Select, TextField, useLoad } from '../../components/ui';
import { useAction } from '../../components/form';
import type { PoolPageProps } from './IdentityPoolPages';
import { poolIdOfProvider, SaveChanges } from './shared';

type Selection = 'Default' | 'Token' | 'Rules';
type Resolution = 'AuthenticatedRole' | 'Deny';
type MatchType = 'Equals' | 'Contains' | 'StartsWith' | 'NotEqual';

interface RuleDraft {
  key: number;
  claim: string;
  matchType: MatchType;
  value: string;
  roleArn: string;
}

interface MappingDraft {
  /** `<ProviderName>:<ClientId>`, the RoleMappings key. */
  key: string;
  providerName: string;
  clientId: string;
  /** Whether the pool still has this provider (mappings of removed providers are shown so they can be dropped). */
  inPool: boolean;
  selection: Selection;
  resolution: Resolution;
  rules: RuleDraft[];
}

const MAX_RULES = 25;
const MATCH_TYPES: { value: MatchType; label: string }[] = [
  { value: 'Equals', label: 'Equals' },
  { value: 'Contains', label: 'Contains' },
  { value: 'StartsWith', label: 'Starts with' },
  { value: 'NotEqual', label: 'Not equal' },
];

let ruleKey = 1;
const newRule = (r?: MappingRule): RuleDraft => ({
  key: ruleKey++,
  claim: r?.Claim ?? '',
  matchType: (r?.MatchType as MatchType | undefined) ?? 'Equals',
  value: r?.Value ?? '',
  roleArn: r?.RoleARN ?? '',
});

function splitKey(key: string): { providerName: string; clientId: string } {
  const i = key.lastIndexOf(':');
  return i < 0 ? { providerName: key, clientId: '' } : { providerName: key.slice(0, i), clientId: key.slice(i + 1) };
}

function drafts(pool: PoolPageProps['pool'], roles: IdentityOutput<'GetIdentityPoolRoles'>): MappingDraft[] {
  const mappings = roles.RoleMappings ?? {};
  const fromPool = (pool.CognitoIdentityProviders ?? []).map((p) => `${p.ProviderName}:${p.ClientId}`);
  const keys = [...new Set([...fromPool, ...Object.keys(mappings)])];
  return keys.map((key) => {
    const m: RoleMapping | undefined = mappings[key];
    return {
      key,
      ...splitKey(key),
      inPool: fromPool.includes(key),
      selection: (m?.Type as Selection | undefined) ?? 'Default',
      resolution: (m?.AmbiguousRoleResolution as Resolution | undefined) ?? 'AuthenticatedRole',
      rules: (m?.RulesConfiguration?.Rules ?? []).map(newRule),
    };
  });
}

const isArn = (s: string) => /^arn:[\w+=/,.@:-]+$/.test(s) && s.length >= 20 && s.length <= 2048;

function problemsOf(auth: string, unauth: string, mappings: MappingDraft[]): string[] {
  const out: string[] = [];
  if (auth && !isArn(auth)) out.push('The authenticated role is not an ARN (arn:aws:iam::<account>:role/<name>).');
  if (unauth && !isArn(unauth)) out.push('The unauthenticated role is not an ARN (arn:aws:iam::<account>:role/<name>).');
  for (const m of mappings) {
    if (m.selection !== 'Rules') continue;
    const who = poolIdOfProvider(m.providerName);
    if (m.rules.length === 0) out.push(`Add at least one rule for ${who}, or choose another role selection.`);
    m.rules.forEach((r, i) => {
      const which = `Rule ${i + 1} of ${who}`;
      if (!/^\S{1,64}$/.test(r.claim.trim())) out.push(`${which}: the claim is a claim name such as cognito:groups (1 to 64 characters, no spaces).`);
      if (!r.value || r.value.length > 128) out.push(`${which}: the value has 1 to 128 characters.`);
      if (!isArn(r.roleArn.trim())) out.push(`${which}: the role is not an ARN.`);
    });
  }
  return out;
}

function RuleFields(props: { index: number; rule: RuleDraft; onChange: (r: RuleDraft) => void; onRemove: () => void }) {
  const { rule, onChange } = props;
  return (
    <fieldset className="rule-set">
      <legend>{`Rule ${props.index + 1}`}</legend>
      <div className="rule">
        <TextField label="Claim" value={rule.claim} placeholder="cognito:groups" onChange={(v) => onChange({ ...rule, claim: v })} />
        <Select label="Match type" value={rule.matchType} options={MATCH_TYPES} onChange={(v) => onChange({ ...rule, matchType: v })} />
        <TextField label="Value" value={rule.value} onChange={(v) => onChange({ ...rule, value: v })} />
        <TextField
          label="Role ARN"
          value={rule.roleArn}
          placeholder="arn:aws:iam::000000000000:role/Admins"
          onChange={(v) => onChange({ ...rule, roleArn: v })}
        />
        <button type="button" className="link" onClick={props.onRemove}>
          Remove rule
        </button>
      </div>
    </fieldset>
  );
}

function MappingFields({ mapping, onChange }: { mapping: MappingDraft; onChange: (m: MappingDraft) => void }) {
  const poolId = poolIdOfProvider(mapping.providerName);
  return (
    <fieldset className="provider">
      <legend>{`Cognito: ${poolId} / ${mapping.clientId}`}</legend>
      {!mapping.inPool && <Notice>This provider is no longer one of the pool&apos;s; choose Use default role to drop its mapping.</Notice>}
      <Select<Selection>
        label="Authenticated role selection"
        value={mapping.selection}
        options={[
          { value: 'Default', label: 'Use default role' },
          { value: 'Token', label: 'Choose role from token' },
          { value: 'Rules', label: 'Choose role with rules' },
        ]}
        onChange={(v) => onChange({ ...mapping, selection: v, rules: v === 'Rules' && mapping.rules.length === 0 ? [newRule()] : mapping.rules })}
        hint={
          mapping.selection === 'Token'
            ? "The role from the ID token's cognito:preferred_role (the user's groups' roles), or CustomRoleArn when it is one of cognito:roles."
            : mapping.selection === 'Rules'
              ? 'The role of the first rule whose claim matches; a list claim such as cognito:groups matches when one of its values does.'
              : 'Every signed-in user of this provider gets the authenticated role.'
        }
      />
      {mapping.selection !== 'Default' && (
        <Select<Resolution>
          label="Role resolution"
          value={mapping.resolution}
          options={[
            { value: 'AuthenticatedRole', label: 'Use default Authenticated role' },
            { value: 'Deny', label: 'DENY' },
          ]}
          onChange={(v) => onChange({ ...mapping, resolution: v })}
          hint="When no role can be chosen (no rule matches, or the token names no single role)."
        />
      )}
      {mapping.selection === 'Rules' && (
        <>
          {mapping.rules.map((r, i) => (
            <RuleFields
              key={r.key}
              index={i}
              rule={r}
              onChange={(nr) => onChange({ ...mapping, rules: mapping.rules.map((x) => (x.key === r.key ? nr : x)) })}
              onRemove={() => onChange({ ...mapping, rules: mapping.rules.filter((x) => x.key !== r.key) })}
            />
          ))}
          <button
            type="button"
            className="secondary"
            disabled={mapping.rules.length >= MAX_RULES}
            onClick={() => onChange({ ...mapping, rules: [...mapping.rules, newRule()] })}
          >
            Add rule
          </button>
        </>
      )}
    </fieldset>
  );
}

export function RolesAndMappings({ pool }: PoolPageProps) {
  const id = pool.IdentityPoolId!;
  const roles = useLoad(() => identity('GetIdentityPoolRoles', { IdentityPoolId: id }), [id]);
  const [auth, setAuth] = useState('');
  const [unauth, setUnauth] = useState('');
  const [mappings, setMappings] = useState<MappingDraft[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const loaded = roles.data;
  useEffect(() => {
    if (!loaded) return;
    setAuth(loaded.Roles?.authenticated ?? '');
    setUnauth(loaded.Roles?.unauthenticated ?? '');
    setMappings(drafts(pool, loaded));
  }, [loaded, pool]);

  if (!loaded) return roles.loading ? <Loading what="the roles" /> : <ErrorNotice error={roles.error} />;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const found = problemsOf(auth.trim(), unauth.trim(), mappings);
    setProblems(found);
    setSaved(false);
    if (found.length) return;
    const RoleMappings: Record<string, RoleMapping> = {};
    for (const m of mappings) {
      if (m.selection === 'Default') continue;
      RoleMappings[m.key] = {
        Type: m.selection,
        AmbiguousRoleResolution: m.resolution,
        ...(m.selection === 'Rules'
          ? {
              RulesConfiguration: { Rules: m.rules.map((r) => ({ Claim: r.claim.trim(), MatchType: r.matchType, Value: r.value, RoleARN: r.roleArn.trim() })) },
            }
          : {}),
      };
    }
    const Roles: Record<string, string> = {};
    if (auth.trim()) Roles.authenticated = auth.trim();
    if (unauth.trim()) Roles.unauthenticated = unauth.trim();
    await run(async () => {
      await identity('SetIdentityPoolRoles', { IdentityPoolId: id, Roles, RoleMappings });
      setSaved(true);
      roles.reload();
    });
  };

  return (
    <form className="panel" onSubmit={(e) => void save(e)} noValidate>
      <h2>Roles</h2>
      <p className="hint">The role ARN GetCredentialsForIdentity puts in an identity&apos;s credentials. Corral has no IAM: any role ARN is taken as given.</p>
      <TextField label="Authenticated role ARN" value={auth} onChange={setAuth} placeholder="arn:aws:iam::000000000000:role/Cognito_PoolAuth_Role" />
      <TextField
        label="Unauthenticated role ARN"
        value={unauth}
        onChange={setUnauth}
        placeholder="arn:aws:iam::000000000000:role/Cognito_PoolUnauth_Role"
        hint={pool.AllowUnauthenticatedIdentities ? undefined : 'Unauthenticated identities are disabled for this pool (Edit identity pool).'}
      />
      <h2>Role mappings</h2>
      {mappings.length === 0 ? (
        <p className="hint">The pool has no Cognito provider to map roles for (Edit identity pool → Authentication providers).</p>
      ) : (
        mappings.map((m) => <MappingFields key={m.key} mapping={m} onChange={(nm) => setMappings((list) => list.map((x) => (x.key === m.key ? nm : x)))} />)
      )}
      <SaveChanges problems={problems} error={error} busy={busy} saved={saved && 'Roles and role mappings saved.'} />
    </form>
  );
}
