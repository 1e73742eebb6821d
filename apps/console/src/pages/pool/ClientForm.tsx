// The app client form, for "Add an app client" (CreateUserPoolClient) and a client's "Edit" (UpdateUserPoolClient):
// name, secret (create only), auth flows, token validities with their units, user existence errors, token
// revocation, read/write attributes and the OAuth settings. UpdateUserPoolClient resets what it is not sent, so an
// edit sends every updatable member of DescribeUserPoolClient overlaid with the form.
import { useState, type FormEvent, type ReactNode } from 'react';
import type {
  CreateUserPoolClientRequest,
  ExplicitAuthFlowsType,
  OAuthFlowType,
  TimeUnitsType,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { Checkbox, ErrorNotice, NumberField, Radio, Select, TextField, useLoad } from '../../components/ui';
import { FormButtons, useAction } from '../../components/form';
import { idp } from '../../lib/api';
import { usePool } from './context';
import { CheckGroup, lines } from './parts';

export const AUTH_FLOWS: { value: ExplicitAuthFlowsType; label: string }[] = [
  { value: 'ALLOW_USER_SRP_AUTH', label: 'ALLOW_USER_SRP_AUTH: Enable SRP (secure remote password) protocol based authentication' },
  { value: 'ALLOW_REFRESH_TOKEN_AUTH', label: 'ALLOW_REFRESH_TOKEN_AUTH: Enable refresh token based authentication' },
  { value: 'ALLOW_USER_PASSWORD_AUTH', label: 'ALLOW_USER_PASSWORD_AUTH: Enable username password based authentication' },
  { value: 'ALLOW_ADMIN_USER_PASSWORD_AUTH', label: 'ALLOW_ADMIN_USER_PASSWORD_AUTH: Enable username password auth for admin APIs' },
  { value: 'ALLOW_CUSTOM_AUTH', label: 'ALLOW_CUSTOM_AUTH: Enable lambda trigger based custom authentication' },
  { value: 'ALLOW_USER_AUTH', label: 'ALLOW_USER_AUTH: Enable choice-based sign-in' },
];

const OAUTH_FLOWS: { value: OAuthFlowType; label: string }[] = [
  { value: 'code', label: 'Authorization code grant' },
  { value: 'implicit', label: 'Implicit grant' },
  { value: 'client_credentials', label: 'Client credentials' },
];

const STANDARD_SCOPES = ['phone', 'email', 'openid', 'aws.cognito.signin.user.admin', 'profile'];

const UNITS: { value: TimeUnitsType; label: string }[] = [
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
  { value: 'days', label: 'days' },
];

/** The members of DescribeUserPoolClient's client that UpdateUserPoolClient takes (and resets when absent). */
const UPDATABLE = [
  'ClientName',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'ReadAttributes',
  'WriteAttributes',
  'ExplicitAuthFlows',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
] as const satisfies readonly (keyof UpdateUserPoolClientRequest & keyof UserPoolClientType)[];

export interface ClientFormValues {
  name: string;
  generateSecret: boolean;
  refresh: number;
  refreshUnit: TimeUnitsType;
  access: number;
  accessUnit: TimeUnitsType;
  id: number;
  idUnit: TimeUnitsType;
  authSession: number;
  flows: ExplicitAuthFlowsType[];
  preventErrors: 'ENABLED' | 'LEGACY';
  revocation: boolean;
  read: string[];
  write: string[];
  callbacks: string;
  logouts: string;
  defaultRedirect: string;
  oauthFlows: OAuthFlowType[];
  scopes: string[];
  providers: string[];
}

export function defaultClientForm(): ClientFormValues {
  return {
    name: '',
    generateSecret: false,
    refresh: 30,
    refreshUnit: 'days',
    access: 60,
    accessUnit: 'minutes',
    id: 60,
    idUnit: 'minutes',
    authSession: 3,
    flows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    preventErrors: 'ENABLED',
    revocation: true,
    read: [],
    write: [],
    callbacks: '',
    logouts: '',
    defaultRedirect: '',
    oauthFlows: [],
    scopes: [],
    providers: [],
  };
}

/** The form showing a client as DescribeUserPoolClient reports it (no units given: refresh days, others hours). */
export function clientFormFrom(c: UserPoolClientType): ClientFormValues {
  const u = c.TokenValidityUnits ?? {};
  return {
    name: c.ClientName ?? '',
    generateSecret: !!c.ClientSecret,
    refresh: c.RefreshTokenValidity ?? 30,
    refreshUnit: u.RefreshToken ?? 'days',
    access: c.AccessTokenValidity ?? 60,
    accessUnit: u.AccessToken ?? (c.AccessTokenValidity === undefined ? 'minutes' : 'hours'),
    id: c.IdTokenValidity ?? 60,
    idUnit: u.IdToken ?? (c.IdTokenValidity === undefined ? 'minutes' : 'hours'),
    authSession: c.AuthSessionValidity ?? 3,
    flows: c.ExplicitAuthFlows ?? [],
    preventErrors: c.PreventUserExistenceErrors === 'LEGACY' ? 'LEGACY' : 'ENABLED',
    revocation: c.EnableTokenRevocation ?? true,
    read: c.ReadAttributes ?? [],
    write: c.WriteAttributes ?? [],
    callbacks: (c.CallbackURLs ?? []).join('\n'),
    logouts: (c.LogoutURLs ?? []).join('\n'),
    defaultRedirect: c.DefaultRedirectURI ?? '',
    oauthFlows: c.AllowedOAuthFlows ?? [],
    scopes: c.AllowedOAuthScopes ?? [],
    providers: c.SupportedIdentityProviders ?? [],
  };
}

/** The settings members of a create or update request, from the form. */
function settingsOf(v: ClientFormValues): Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'GenerateSecret'> {
  const callbacks = lines(v.callbacks);
  const logouts = lines(v.logouts);
  return {
    ClientName: v.name,
    RefreshTokenValidity: v.refresh,
    AccessTokenValidity: v.access,
    IdTokenValidity: v.id,
    TokenValidityUnits: { RefreshToken: v.refreshUnit, AccessToken: v.accessUnit, IdToken: v.idUnit },
    AuthSessionValidity: v.authSession,
    ExplicitAuthFlows: v.flows,
    PreventUserExistenceErrors: v.preventErrors,
    EnableTokenRevocation: v.revocation,
    ReadAttributes: v.read.length ? v.read : undefined,
    WriteAttributes: v.write.length ? v.write : undefined,
    CallbackURLs: callbacks.length ? callbacks : undefined,
    LogoutURLs: logouts.length ? logouts : undefined,
    DefaultRedirectURI: v.defaultRedirect.trim() || undefined,
    AllowedOAuthFlows: v.oauthFlows.length ? v.oauthFlows : undefined,
    AllowedOAuthScopes: v.scopes.length ? v.scopes : undefined,
    AllowedOAuthFlowsUserPoolClient: v.oauthFlows.length > 0,
    SupportedIdentityProviders: v.providers.length ? v.providers : undefined,
  };
}

export function createRequest(poolId: string, v: ClientFormValues): CreateUserPoolClientRequest {
  return { UserPoolId: poolId, GenerateSecret: v.generateSecret, ...settingsOf(v) };
}

/**
 * UpdateUserPoolClient: the client's full current updatable set, overlaid with what the form changed (compared with
 * `initial`, the form as it opened), so a member the user did not touch is sent exactly as DescribeUserPoolClient
 * reported it (absent stays absent: e.g. a token validity left at Cognito's default).
 */
export function updateRequest(current: UserPoolClientType, initial: ClientFormValues, v: ClientFormValues): UpdateUserPoolClientRequest {
  const out: Record<string, unknown> = {};
  for (const key of UPDATABLE) if (current[key] !== undefined && current[key] !== null) out[key] = current[key];
  const was = settingsOf(initial) as Record<string, unknown>;
  const now = settingsOf(v) as Record<string, unknown>;
  const tokens = [
    ['RefreshTokenValidity', 'RefreshToken', 'refresh', 'refreshUnit'],
    ['AccessTokenValidity', 'AccessToken', 'access', 'accessUnit'],
    ['IdTokenValidity', 'IdToken', 'id', 'idUnit'],
  ] as const;
  const units: Record<string, TimeUnitsType> = { ...current.TokenValidityUnits };
  let unitsChanged = false;
  for (const [member, unit, value, unitKey] of tokens) {
    if (initial[value] === v[value] && initial[unitKey] === v[unitKey]) continue;
    out[member] = v[value];
    units[unit] = v[unitKey];
    unitsChanged = true;
  }
  if (unitsChanged) out.TokenValidityUnits = units;
  const skip = new Set<string>(['RefreshTokenValidity', 'AccessTokenValidity', 'IdTokenValidity', 'TokenValidityUnits']);
  for (const key of Object.keys({ ...was, ...now })) {
    if (skip.has(key) || JSON.stringify(was[key]) === JSON.stringify(now[key])) continue;
    if (now[key] === undefined) delete out[key];
    else out[key] = now[key];
  }
  return { ...(out as Partial<UpdateUserPoolClientRequest>), UserPoolId: current.UserPoolId, ClientId: current.ClientId };
}

function Validity(props: {
  label: string;
  value: number;
  unit: TimeUnitsType;
  onValue: (n: number) => void;
  onUnit: (u: TimeUnitsType) => void;
  hint: string;
}) {
  return (
    <div className="field-row">
      <NumberField label={props.label} value={props.value} min={1} onChange={props.onValue} hint={props.hint} />
      <Select<TimeUnitsType> label={`${props.label} unit`} value={props.unit} onChange={props.onUnit} options={UNITS} />
    </div>
  );
}

export function ClientForm(props: {
  initial: ClientFormValues;
  creating: boolean;
  onSubmit: (v: ClientFormValues) => Promise<unknown>;
  submitLabel: string;
  onCancel: () => void;
  extra?: ReactNode;
}) {
  const { pool, poolId } = usePool();
  const [v, setV] = useState<ClientFormValues>(props.initial);
  const { busy, error, run } = useAction();
  const servers = useLoad(() => idp('ListResourceServers', { UserPoolId: poolId, MaxResults: 50 }), [poolId]);
  const set = (patch: Partial<ClientFormValues>) => setV((x) => ({ ...x, ...patch }));
  const attributes = (pool.SchemaAttributes ?? []).map((a) => a.Name!).filter((n) => n !== 'sub' && !n.startsWith('dev:'));
  const custom = (servers.data?.ResourceServers ?? []).flatMap((s) => (s.Scopes ?? []).map((x) => `${s.Identifier}/${x.ScopeName}`));
  const scopes = [...new Set([...STANDARD_SCOPES, ...custom, ...v.scopes])];
  const providers = [...new Set(['COGNITO', ...v.providers])];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(() => props.onSubmit(v));
  };
  return (
    <form className="edit-form client-form" onSubmit={(e) => void submit(e)}>
      <TextField label="App client name" value={v.name} onChange={(name) => set({ name })} required autoFocus={props.creating} />
      {props.creating ? (
        <Checkbox
          label="Generate client secret"
          checked={v.generateSecret}
          onChange={(generateSecret) => set({ generateSecret })}
          hint="Browser apps (like Wild Rydes) cannot keep a secret: leave this off for them."
        />
      ) : (
        <p className="hint">{v.generateSecret ? 'This client has a secret (it cannot be changed or shown again).' : 'This client has no secret.'}</p>
      )}
      <h3>Token expiration</h3>
      <Validity
        label="Refresh token expiration"
        value={v.refresh}
        unit={v.refreshUnit}
        onValue={(refresh) => set({ refresh })}
        onUnit={(refreshUnit) => set({ refreshUnit })}
        hint="60 minutes to 10 years."
      />
      <Validity
        label="Access token expiration"
        value={v.access}
        unit={v.accessUnit}
        onValue={(access) => set({ access })}
        onUnit={(accessUnit) => set({ accessUnit })}
        hint="5 minutes to 1 day."
      />
      <Validity
        label="ID token expiration"
        value={v.id}
        unit={v.idUnit}
        onValue={(id) => set({ id })}
        onUnit={(idUnit) => set({ idUnit })}
        hint="5 minutes to 1 day."
      />
      <NumberField
        label="Authentication flow session duration (minutes)"
        value={v.authSession}
        min={3}
        max={15}
        onChange={(authSession) => set({ authSession })}
      />
      <CheckGroup legend="Auth Flows Configuration" options={AUTH_FLOWS} value={v.flows} onChange={(flows) => set({ flows })} />
      <Radio<'ENABLED' | 'LEGACY'>
        legend="Prevent User Existence Errors"
        value={v.preventErrors}
        onChange={(preventErrors) => set({ preventErrors })}
        options={[
          { value: 'ENABLED', label: 'Enabled (Recommended)' },
          { value: 'LEGACY', label: 'Legacy' },
        ]}
      />
      <Checkbox label="Enable token revocation" checked={v.revocation} onChange={(revocation) => set({ revocation })} />
      <details className="attribute-permissions">
        <summary>Set attribute read and write permissions</summary>
        <p className="hint">None checked: every attribute (the default).</p>
        <div className="field-row">
          <CheckGroup
            legend="Readable attributes"
            options={attributes.map((a) => ({ value: a, label: a }))}
            value={v.read}
            onChange={(read) => set({ read })}
          />
          <CheckGroup
            legend="Writable attributes"
            options={attributes.map((a) => ({ value: a, label: a }))}
            value={v.write}
            onChange={(write) => set({ write })}
          />
        </div>
      </details>
      <h3>OAuth 2.0 (hosted sign-in)</h3>
      <CheckGroup
        legend="Enabled Identity Providers"
        options={providers.map((p) => ({ value: p, label: p === 'COGNITO' ? 'Cognito User Pool' : p }))}
        value={v.providers}
        onChange={(p) => set({ providers: p })}
      />
      <TextField label="Callback URL(s)" value={v.callbacks} onChange={(callbacks) => set({ callbacks })} multiline hint="One per line." />
      <TextField label="Sign out URL(s)" value={v.logouts} onChange={(logouts) => set({ logouts })} multiline hint="One per line." />
      <TextField
        label="Default redirect URI"
        value={v.defaultRedirect}
        onChange={(defaultRedirect) => set({ defaultRedirect })}
        hint="Optional: one of the callback URLs."
      />
      <CheckGroup legend="Allowed OAuth Flows" options={OAUTH_FLOWS} value={v.oauthFlows} onChange={(oauthFlows) => set({ oauthFlows })} />
      <CheckGroup legend="Allowed OAuth Scopes" options={scopes.map((s) => ({ value: s, label: s }))} value={v.scopes} onChange={(s) => set({ scopes: s })} />
      {!!servers.error && <ErrorNotice error={servers.error} />}
      {props.extra}
      <FormButtons error={error} busy={busy} submit={props.submitLabel} onCancel={props.onCancel} />
    </form>
  );
}
