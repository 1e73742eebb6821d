// Users and groups → Groups: the pool's groups (ListGroups), "Create group" (CreateGroup), and a group's page with
// its members (ListUsersInGroup), "Edit" (UpdateGroup) and "Delete group".
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { GroupType } from '@aws-sdk/client-cognito-identity-provider';
import { ActionButton, ErrorNotice, formatDate, Loading, Table, TextField, useLoad } from '../../components/ui';
import { CreateForm, CreatePanel, type CreateDone } from '../../components/create-panel';
import { Pager, usePaging } from '../../components/paging';
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

function CreateGroup({ onCreated, onCancel }: CreateDone) {
  const { poolId } = usePool();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [precedence, setPrecedence] = useState('');
  const [roleArn, setRoleArn] = useState('');
  const submit = async () => {
    const p = precedenceOf(precedence);
    await idp('CreateGroup', {
      UserPoolId: poolId,
      GroupName: name,
      ...(description ? { Description: description } : {}),
      ...(p !== undefined ? { Precedence: p } : {}),
      ...(roleArn ? { RoleArn: roleArn } : {}),
    });
    onCreated(name);
  };
  return (
    <CreateForm title="Create group" onSubmit={submit} onCancel={onCancel}>
      <TextField label="Group name" value={name} onChange={setName} required autoFocus />
      <GroupFields {...{ description, setDescription, precedence, setPrecedence, roleArn, setRoleArn }} />
    </CreateForm>
  );
}

export function GroupsTab() {
  const { poolId, base } = usePool();
  const paging = usePaging();
  const groups = useLoad(() => idp('ListGroups', { UserPoolId: poolId, Limit: 60, ...paging.nextToken }), [poolId, paging.n, paging.token]);
  return (
    <>
      <UsersAndGroupsTabs />
      <CreatePanel noun="group" pathOf={(name) => groupPath(base, name)} reload={groups.reload} form={(done) => <CreateGroup {...done} />} />
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
          <Pager paging={paging} next={groups.data.NextToken} />
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
  const paging = usePaging();
  const members = useLoad(
    () => idp('ListUsersInGroup', { UserPoolId: poolId, GroupName: groupName, Limit: 60, ...paging.nextToken }),
    [poolId, groupName, paging.n, paging.token],
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
            <Pager paging={paging} next={members.data.NextToken} />
          </>
        )}
      </Section>
    </>
  );
}
