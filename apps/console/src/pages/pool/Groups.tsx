// Users and groups → Groups: the pool's groups (ListGroups), "Create group" (CreateGroup), and a group's page with
// its members (ListUsersInGroup), "Edit" (UpdateGroup) and "Delete group".
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { GroupType } from '@aws-sdk/client-cognito-identity-provider';
import { ActionButton, ErrorNotice, formatDate, Loading, Notice, Table, TextField, useLoad } from '../../components/ui';
import { asDate, idp } from '../../lib/api';
import { usePool } from './context';
import { EditForm, EnabledBadge, Section, StatusBadge } from './parts';
import { attr, userPath, UsersAndGroupsTabs } from './Users';

function groupPath(base: string, name: string): string {
  return `${base}/groups/${encodeURIComponent(name)}`;
}

/** Precedence typed as text: empty = none. */
function precedenceOf(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function GroupFields(props: {
  description: string;
  setDescription: (v: string) => void;
  precedence: string;
  setPrecedence: (v: string) => void;
  roleArn: string;
  setRoleArn: (v: string) => void;
}) {
  return (
    <>
      <TextField label="Description" value={props.description} onChange={props.setDescription} multiline />
      <TextField label="IAM role ARN" value={props.roleArn} onChange={props.setRoleArn} placeholder="arn:aws:iam::123456789012:role/…" />
      <TextField
        label="Precedence"
        type="number"
        value={props.precedence}
        onChange={props.setPrecedence}
        hint="A lower number wins when a user is in several groups with roles. Optional."
      />
    </>
  );
}

function CreateGroup({ onCreated, onCancel }: { onCreated: (name: string) => void; onCancel: () => void }) {
  const { poolId } = usePool();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [precedence, setPrecedence] = useState('');
  const [roleArn, setRoleArn] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const p = precedenceOf(precedence);
      await idp('CreateGroup', {
        UserPoolId: poolId,
        GroupName: name,
        ...(description ? { Description: description } : {}),
        ...(p !== undefined ? { Precedence: p } : {}),
        ...(roleArn ? { RoleArn: roleArn } : {}),
      });
      onCreated(name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel edit-form" aria-label="Create group" onSubmit={(e) => void submit(e)}>
      <h2>Create group</h2>
      <TextField label="Group name" value={name} onChange={setName} required autoFocus />
      <GroupFields {...{ description, setDescription, precedence, setPrecedence, roleArn, setRoleArn }} />
      <ErrorNotice error={error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          Create group
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function GroupsTab() {
  const { poolId, base } = usePool();
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [n, setN] = useState(0);
  const groups = useLoad(() => idp('ListGroups', { UserPoolId: poolId, Limit: 60, ...(pages[n] ? { NextToken: pages[n] } : {}) }), [poolId, pages, n]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  return (
    <>
      <UsersAndGroupsTabs />
      <div className="toolbar">
        {!creating && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setCreated(undefined);
              setCreating(true);
            }}
          >
            Create group
          </button>
        )}
      </div>
      {created && (
        <Notice kind="success">
          Created group <Link to={groupPath(base, created)}>{created}</Link>.
        </Notice>
      )}
      {creating && (
        <CreateGroup
          onCancel={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            setCreated(name);
            groups.reload();
          }}
        />
      )}
      <ErrorNotice error={groups.error} />
      {!groups.data && !groups.error && <Loading what="groups" />}
      {groups.data && (
        <>
          <Table
            head={['Group name', 'Description', 'Precedence', 'IAM role ARN', 'Created']}
            rows={(groups.data.Groups ?? []).map((g) => [
              <Link key="g" to={groupPath(base, g.GroupName!)}>
                {g.GroupName}
              </Link>,
              g.Description ?? '',
              g.Precedence ?? '',
              g.RoleArn ? <code>{g.RoleArn}</code> : '',
              formatDate(asDate(g.CreationDate)),
            ])}
            empty="No groups yet."
          />
          {(n > 0 || groups.data.NextToken) && (
            <div className="toolbar pager">
              <button type="button" className="secondary" disabled={n === 0} onClick={() => setN(n - 1)}>
                Previous page
              </button>
              <span>Page {n + 1}</span>
              <button
                type="button"
                className="secondary"
                disabled={!groups.data.NextToken}
                onClick={() => {
                  setPages([...pages.slice(0, n + 1), groups.data!.NextToken]);
                  setN(n + 1);
                }}
              >
                Next page
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}

function GroupEditor({ group, done }: { group: GroupType; done: (saved: boolean) => void }) {
  const { poolId } = usePool();
  const [description, setDescription] = useState(group.Description ?? '');
  const [precedence, setPrecedence] = useState(group.Precedence === undefined ? '' : String(group.Precedence));
  const [roleArn, setRoleArn] = useState(group.RoleArn ?? '');
  return (
    <EditForm
      done={done}
      onSave={() => {
        const p = precedenceOf(precedence);
        return idp('UpdateGroup', {
          UserPoolId: poolId,
          GroupName: group.GroupName,
          Description: description,
          ...(p !== undefined ? { Precedence: p } : {}),
          ...(roleArn ? { RoleArn: roleArn } : {}),
        });
      }}
    >
      <GroupFields {...{ description, setDescription, precedence, setPrecedence, roleArn, setRoleArn }} />
    </EditForm>
  );
}

export function GroupPage() {
  const { poolId, base } = usePool();
  const { groupName = '' } = useParams();
  const navigate = useNavigate();
  const group = useLoad(() => idp('GetGroup', { UserPoolId: poolId, GroupName: groupName }), [poolId, groupName]);
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [n, setN] = useState(0);
  const members = useLoad(
    () => idp('ListUsersInGroup', { UserPoolId: poolId, GroupName: groupName, Limit: 60, ...(pages[n] ? { NextToken: pages[n] } : {}) }),
    [poolId, groupName, pages, n],
  );
  const crumbs = (
    <p className="crumbs">
      <Link to={`${base}/groups`}>Groups</Link> / {groupName}
    </p>
  );
  const g = group.data?.Group;
  if (!g) {
    return (
      <>
        {crumbs}
        <h2>{groupName}</h2>
        {group.error ? <ErrorNotice error={group.error} /> : <Loading what="the group" />}
      </>
    );
  }
  return (
    <>
      {crumbs}
      <Section
        title={`Group ${g.GroupName}`}
        edit={(done) => (
          <GroupEditor
            group={g}
            done={(saved) => {
              done(saved);
              if (saved) group.reload();
            }}
          />
        )}
        actions={
          <ActionButton
            kind="danger"
            confirm={`Delete the group ${g.GroupName}? Its members stay in the pool.`}
            onClick={async () => {
              await idp('DeleteGroup', { UserPoolId: poolId, GroupName: g.GroupName });
              await navigate(`${base}/groups`);
            }}
          >
            Delete group
          </ActionButton>
        }
      >
        <dl className="summary">
          <dt>Group name</dt>
          <dd>{g.GroupName}</dd>
          <dt>Description</dt>
          <dd>{g.Description || '—'}</dd>
          <dt>Precedence</dt>
          <dd>{g.Precedence ?? '—'}</dd>
          <dt>IAM role ARN</dt>
          <dd>{g.RoleArn ? <code>{g.RoleArn}</code> : '—'}</dd>
          <dt>Created</dt>
          <dd>{formatDate(asDate(g.CreationDate))}</dd>
          <dt>Last modified</dt>
          <dd>{formatDate(asDate(g.LastModifiedDate))}</dd>
        </dl>
      </Section>
      <Section title="Members">
        <ErrorNotice error={members.error} />
        {!members.data && !members.error && <Loading what="members" />}
        {members.data && (
          <>
            <Table
              head={['Username', 'Email', 'Status', 'Enabled']}
              rows={(members.data.Users ?? []).map((u) => [
                <Link key="u" to={userPath(base, u.Username!)}>
                  {u.Username}
                </Link>,
                attr(u.Attributes, 'email') ?? '',
                <StatusBadge key="s" status={u.UserStatus} />,
                <EnabledBadge key="e" enabled={u.Enabled} />,
              ])}
              empty="No members. Add users from their user page."
            />
            {(n > 0 || members.data.NextToken) && (
              <div className="toolbar pager">
                <button type="button" className="secondary" disabled={n === 0} onClick={() => setN(n - 1)}>
                  Previous page
                </button>
                <span>Page {n + 1}</span>
                <button
                  type="button"
                  className="secondary"
                  disabled={!members.data.NextToken}
                  onClick={() => {
                    setPages([...pages.slice(0, n + 1), members.data!.NextToken]);
                    setN(n + 1);
                  }}
                >
                  Next page
                </button>
              </div>
            )}
          </>
        )}
      </Section>
    </>
  );
}
