// A user's page (/user-pools/:poolId/users/:username): status and actions (confirm, disable/enable, reset or set the
// password, sign out everywhere, delete), attributes with "Edit", MFA state, groups and remembered devices.
// After every action the user is read again (AdminGetUser), so the page shows the status the API now reports.
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { AdminGetUserResponse, AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { ActionButton, Checkbox, ErrorNotice, formatDate, Loading, Notice, Select, Table, TextField, useLoad } from '../../components/ui';
import { asDate, idp } from '../../lib/api';
import { usePool } from './context';
import { EditForm, EnabledBadge, Section, StatusBadge } from './parts';
import { attr } from './Users';

const NOT_EDITABLE = new Set(['sub']);

function AttributesEditor({ user, done }: { user: AdminGetUserResponse; done: (saved: boolean) => void }) {
  const { pool, poolId } = usePool();
  const schema = pool.SchemaAttributes ?? [];
  const mutable = (name: string) => !NOT_EDITABLE.has(name) && schema.find((a) => a.Name === name)?.Mutable !== false;
  const before = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? '']));
  const [values, setValues] = useState<Record<string, string>>(before);
  const [newName, setNewName] = useState('');
  const [newValue, setNewValue] = useState('');
  const addable = schema.map((a) => a.Name!).filter((n) => !(n in values) && mutable(n) && !n.startsWith('dev:'));
  return (
    <EditForm
      done={done}
      onSave={async () => {
        const next = { ...values, ...(newName && newValue ? { [newName]: newValue } : {}) };
        const updates: AttributeType[] = Object.entries(next)
          .filter(([name, value]) => value !== '' && value !== before[name] && mutable(name))
          .map(([Name, Value]) => ({ Name, Value }));
        const deletes = Object.keys(before).filter((name) => (next[name] ?? '') === '' && before[name] !== '' && mutable(name));
        if (updates.length) await idp('AdminUpdateUserAttributes', { UserPoolId: poolId, Username: user.Username, UserAttributes: updates });
        if (deletes.length) await idp('AdminDeleteUserAttributes', { UserPoolId: poolId, Username: user.Username, UserAttributeNames: deletes });
      }}
    >
      <p className="hint">Clear a value to delete that attribute. Immutable attributes (and sub) cannot be changed.</p>
      {Object.keys(values).map((name) => (
        <TextField key={name} label={name} value={values[name] ?? ''} readOnly={!mutable(name)} onChange={(v) => setValues((x) => ({ ...x, [name]: v }))} />
      ))}
      {addable.length > 0 && (
        <div className="field-row">
          <Select
            label="Add attribute"
            value={newName}
            onChange={setNewName}
            options={[{ value: '', label: '—' }, ...addable.map((n) => ({ value: n, label: n }))]}
          />
          {newName && <TextField label={`Value of ${newName}`} value={newValue} onChange={setNewValue} />}
        </div>
      )}
    </EditForm>
  );
}

function MfaPanel({ user, act }: { user: AdminGetUserResponse; act: (done: string, run: () => Promise<unknown>) => () => Promise<void> }) {
  const { poolId } = usePool();
  const list = user.UserMFASettingList ?? [];
  const preferred = user.PreferredMfaSetting;
  const set =
    (input: { SMSMfaSettings?: { Enabled: boolean; PreferredMfa?: boolean }; SoftwareTokenMfaSettings?: { Enabled: boolean; PreferredMfa?: boolean } }) => () =>
      idp('AdminSetUserMFAPreference', { UserPoolId: poolId, Username: user.Username, ...input });
  const factor = (key: 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA', label: string, short: string, setting: 'SMSMfaSettings' | 'SoftwareTokenMfaSettings'): ReactNode[] => {
    const on = list.includes(key);
    return [
      label,
      on ? <span className="badge ok">On</span> : <span className="badge">Off</span>,
      preferred === key ? 'Preferred' : '',
      <span key="a" className="row-actions">
        {on ? (
          <ActionButton onClick={act(`${short} MFA turned off.`, set({ [setting]: { Enabled: false, PreferredMfa: false } }))}>
            Turn off {short} MFA
          </ActionButton>
        ) : (
          <ActionButton onClick={act(`${short} MFA turned on.`, set({ [setting]: { Enabled: true } }))}>Turn on {short} MFA</ActionButton>
        )}
        {on && preferred !== key && (
          <ActionButton onClick={act(`${short} is now the preferred MFA.`, set({ [setting]: { Enabled: true, PreferredMfa: true } }))}>
            Make {short} preferred
          </ActionButton>
        )}
      </span>,
    ];
  };
  return (
    <Section title="MFA">
      <Table
        head={['Factor', 'State', 'Preferred', 'Actions']}
        rows={[
          factor('SMS_MFA', 'SMS text message', 'SMS', 'SMSMfaSettings'),
          factor('SOFTWARE_TOKEN_MFA', 'Authenticator app (TOTP)', 'TOTP', 'SoftwareTokenMfaSettings'),
        ]}
        empty=""
      />
      {list.includes('EMAIL_OTP') && <p>Email MFA: on{preferred === 'EMAIL_OTP' ? ' (preferred)' : ''}.</p>}
      <p className="hint">TOTP can be turned on only after the user has set up an authenticator app (AssociateSoftwareToken); SMS needs a phone number.</p>
    </Section>
  );
}

function GroupsPanel({ username, act }: { username: string; act: (done: string, run: () => Promise<unknown>) => () => Promise<void> }) {
  const { poolId, base, pool } = usePool();
  const mine = useLoad(() => idp('AdminListGroupsForUser', { UserPoolId: poolId, Username: username, Limit: 60 }), [poolId, username, pool]);
  const all = useLoad(() => idp('ListGroups', { UserPoolId: poolId, Limit: 60 }), [poolId, pool]);
  const [chosen, setChosen] = useState('');
  const member = new Set((mine.data?.Groups ?? []).map((g) => g.GroupName!));
  const others = (all.data?.Groups ?? []).map((g) => g.GroupName!).filter((g) => !member.has(g));
  const pick = chosen && others.includes(chosen) ? chosen : (others[0] ?? '');
  return (
    <Section title="Groups">
      <ErrorNotice error={mine.error ?? all.error} />
      {!mine.data && !mine.error && <Loading what="groups" />}
      {mine.data && (
        <Table
          head={['Group name', 'Precedence', '']}
          rows={(mine.data.Groups ?? []).map((g) => [
            <Link key="g" to={`${base}/groups/${encodeURIComponent(g.GroupName!)}`}>
              {g.GroupName}
            </Link>,
            g.Precedence ?? '',
            <ActionButton
              key="r"
              onClick={act(`Removed from ${g.GroupName}.`, () =>
                idp('AdminRemoveUserFromGroup', { UserPoolId: poolId, Username: username, GroupName: g.GroupName }),
              )}
            >
              Remove from {g.GroupName}
            </ActionButton>,
          ])}
          empty="Not a member of any group."
        />
      )}
      {all.data && (
        <div className="toolbar">
          {others.length ? (
            <>
              <Select label="Group" value={pick} onChange={setChosen} options={others.map((g) => ({ value: g, label: g }))} />
              <ActionButton
                kind="primary"
                onClick={act(`Added to ${pick}.`, () => idp('AdminAddUserToGroup', { UserPoolId: poolId, Username: username, GroupName: pick }))}
              >
                Add to group
              </ActionButton>
            </>
          ) : (
            <p className="hint">
              {all.data.Groups?.length ? 'The user is in every group.' : 'The pool has no groups.'} <Link to={`${base}/groups`}>Groups</Link>
            </p>
          )}
        </div>
      )}
    </Section>
  );
}

function DevicesPanel({ username, act }: { username: string; act: (done: string, run: () => Promise<unknown>) => () => Promise<void> }) {
  const { poolId, pool } = usePool();
  const devices = useLoad(() => idp('AdminListDevices', { UserPoolId: poolId, Username: username, Limit: 60 }), [poolId, username, pool]);
  return (
    <Section title="Devices">
      {!pool.DeviceConfiguration && <p className="hint">This pool does not remember devices (Devices settings).</p>}
      <ErrorNotice error={devices.error} />
      {!devices.data && !devices.error && <Loading what="devices" />}
      {devices.data && (
        <Table
          head={['Device key', 'Name', 'Status', 'Last IP', 'Last authenticated', '']}
          rows={(devices.data.Devices ?? []).map((d) => [
            <code key="k">{d.DeviceKey}</code>,
            attr(d.DeviceAttributes, 'device_name') ?? '',
            attr(d.DeviceAttributes, 'device_status') ?? '',
            attr(d.DeviceAttributes, 'last_ip_used') ?? '',
            formatDate(asDate(d.DeviceLastAuthenticatedDate)),
            <ActionButton
              key="f"
              confirm="Forget this device? The user will have to pass MFA on it again."
              onClick={act('Device forgotten.', () => idp('AdminForgetDevice', { UserPoolId: poolId, Username: username, DeviceKey: d.DeviceKey }))}
            >
              Forget device
            </ActionButton>,
          ])}
          empty="No remembered devices."
        />
      )}
    </Section>
  );
}

function SetPassword({ username, act }: { username: string; act: (done: string, run: () => Promise<unknown>) => () => Promise<void> }) {
  const { poolId } = usePool();
  const [password, setPassword] = useState('');
  const [permanent, setPermanent] = useState(false);
  return (
    <Section title="Set password">
      <div className="toolbar">
        <TextField label="New password" type="password" value={password} onChange={setPassword} autoComplete="new-password" />
        <Checkbox
          label="Permanent"
          checked={permanent}
          onChange={setPermanent}
          hint="Unchecked: a temporary password the user must change at the next sign-in."
        />
        <ActionButton
          disabled={!password}
          onClick={act(permanent ? 'Password set (permanent).' : 'Temporary password set.', async () => {
            await idp('AdminSetUserPassword', { UserPoolId: poolId, Username: username, Password: password, Permanent: permanent });
            setPassword('');
          })}
        >
          Set password
        </ActionButton>
      </div>
    </Section>
  );
}

export function UserPage() {
  const { poolId, base } = usePool();
  const { username = '' } = useParams();
  const navigate = useNavigate();
  const user = useLoad(() => idp('AdminGetUser', { UserPoolId: poolId, Username: username }), [poolId, username]);
  const [flash, setFlash] = useState<string>();
  const [tick, setTick] = useState(0);

  /** Runs an action, then shows `done` and reads the user again. */
  const act = (done: string, run: () => Promise<unknown>) => async () => {
    setFlash(undefined);
    await run();
    setFlash(done);
    user.reload();
    setTick((t) => t + 1);
  };

  const back = (
    <p className="crumbs">
      <Link to={`${base}/users`}>Users</Link> / {username}
    </p>
  );
  if (!user.data) {
    return (
      <>
        {back}
        <h2>{username}</h2>
        {user.error ? <ErrorNotice error={user.error} /> : <Loading what="the user" />}
      </>
    );
  }
  const u = user.data;
  const name = u.Username ?? username;
  return (
    <>
      {back}
      <div className="user-head">
        <h2>{name}</h2>
        <StatusBadge status={u.UserStatus} />
        <EnabledBadge enabled={u.Enabled} />
      </div>
      {flash && <Notice kind="success">{flash}</Notice>}
      {!!user.error && <ErrorNotice error={user.error} />}
      <Section title="User">
        <dl className="summary">
          <dt>Account status</dt>
          <dd>{u.Enabled ? 'Enabled' : 'Disabled'}</dd>
          <dt>Confirmation status</dt>
          <dd>{u.UserStatus}</dd>
          <dt>MFA</dt>
          <dd>{u.UserMFASettingList?.length ? u.UserMFASettingList.join(', ') : 'None'}</dd>
          <dt>sub</dt>
          <dd>
            <code>{attr(u.UserAttributes, 'sub')}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatDate(asDate(u.UserCreateDate))}</dd>
          <dt>Last modified</dt>
          <dd>{formatDate(asDate(u.UserLastModifiedDate))}</dd>
        </dl>
        <div className="toolbar">
          {u.UserStatus === 'UNCONFIRMED' && (
            <ActionButton kind="primary" onClick={act('User confirmed.', () => idp('AdminConfirmSignUp', { UserPoolId: poolId, Username: name }))}>
              Confirm user
            </ActionButton>
          )}
          {u.Enabled ? (
            <ActionButton onClick={act('User disabled.', () => idp('AdminDisableUser', { UserPoolId: poolId, Username: name }))}>Disable user</ActionButton>
          ) : (
            <ActionButton onClick={act('User enabled.', () => idp('AdminEnableUser', { UserPoolId: poolId, Username: name }))}>Enable user</ActionButton>
          )}
          <ActionButton
            confirm={`Reset the password of ${name}? Their current password stops working; they are sent a code to choose a new one.`}
            onClick={act('Password reset: the user must choose a new password with the code sent to them.', () =>
              idp('AdminResetUserPassword', { UserPoolId: poolId, Username: name }),
            )}
          >
            Reset password
          </ActionButton>
          <ActionButton
            onClick={act('Signed out everywhere: every refresh token of the user is revoked.', () =>
              idp('AdminUserGlobalSignOut', { UserPoolId: poolId, Username: name }),
            )}
          >
            Sign out everywhere
          </ActionButton>
          <ActionButton
            kind="danger"
            confirm={`Delete the user ${name}? This cannot be undone.`}
            onClick={async () => {
              await idp('AdminDeleteUser', { UserPoolId: poolId, Username: name });
              await navigate(`${base}/users`);
            }}
          >
            Delete user
          </ActionButton>
        </div>
      </Section>
      <SetPassword username={name} act={act} />
      <Section
        title="Attributes"
        edit={(done) => (
          <AttributesEditor
            user={u}
            done={(saved) => {
              done(saved);
              if (saved) user.reload();
            }}
          />
        )}
      >
        <Table
          head={['Attribute', 'Value']}
          rows={(u.UserAttributes ?? []).map((a) => [<code key="n">{a.Name}</code>, a.Value ?? ''])}
          empty="No attributes."
        />
      </Section>
      <MfaPanel user={u} act={act} />
      <GroupsPanel key={`g${tick}`} username={name} act={act} />
      <DevicesPanel key={`d${tick}`} username={name} act={act} />
    </>
  );
}
