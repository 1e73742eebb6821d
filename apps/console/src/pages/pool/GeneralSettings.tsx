// General settings: the pool's name, id and ARN (with copy buttons: the walkthrough's scratch pad), its user count
// and dates, deletion protection and "Delete pool", then every settings section (each with its own "Edit").
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ActionButton, CopyField, formatDate, Radio } from '../../components/ui';
import { asDate, idp } from '../../lib/api';
import { usePool } from './context';
import { EditForm, Section } from './parts';
import { updatePool } from './updatable';
import { AttributesSection } from './AttributesSection';
import { PoliciesSection } from './PoliciesSection';
import { MfaSection } from './MfaSection';
import { MessagesSection } from './MessagesSection';
import { TagsSection } from './TagsSection';
import { DevicesSection } from './DevicesSection';
import { TriggersSection } from './TriggersSection';

function DeletionProtectionEditor({ done }: { done: (saved: boolean) => void }) {
  const { pool, poolId, reload } = usePool();
  const [value, setValue] = useState<'ACTIVE' | 'INACTIVE'>(pool.DeletionProtection === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE');
  return (
    <EditForm
      done={done}
      onSave={async () => {
        await updatePool(poolId, () => ({ DeletionProtection: value }));
        reload();
      }}
    >
      <Radio
        legend="Deletion protection"
        value={value}
        onChange={setValue}
        options={[
          { value: 'ACTIVE', label: 'Active: the pool cannot be deleted until this is turned off' },
          { value: 'INACTIVE', label: 'Inactive' },
        ]}
      />
    </EditForm>
  );
}

export function GeneralSettings() {
  const { pool, poolId } = usePool();
  const navigate = useNavigate();
  const protectedPool = pool.DeletionProtection === 'ACTIVE';
  return (
    <>
      <Section title="General settings">
        <dl className="summary">
          <dt>Pool name</dt>
          <dd>{pool.Name}</dd>
          <dt>Estimated number of users</dt>
          <dd>{pool.EstimatedNumberOfUsers ?? 0}</dd>
          <dt>Created</dt>
          <dd>{formatDate(asDate(pool.CreationDate))}</dd>
          <dt>Last modified</dt>
          <dd>{formatDate(asDate(pool.LastModifiedDate))}</dd>
          <dt>Feature plan</dt>
          <dd>{pool.UserPoolTier ?? 'ESSENTIALS'}</dd>
        </dl>
        <CopyField label="Pool Id" value={pool.Id ?? poolId} />
        <CopyField label="Pool ARN" value={pool.Arn ?? ''} />
        <div className="toolbar">
          <ActionButton
            kind="danger"
            confirm={`Delete the user pool ${pool.Name} (${poolId}) with all its users, groups and app clients? This cannot be undone.`}
            onClick={async () => {
              await idp('DeleteUserPool', { UserPoolId: poolId });
              await navigate('/user-pools');
            }}
          >
            Delete pool
          </ActionButton>
        </div>
        {protectedPool && <p className="hint">Deletion protection is active: the pool cannot be deleted until it is turned off (Deletion protection, Edit).</p>}
      </Section>
      <Section title="Deletion protection" edit={(done) => <DeletionProtectionEditor done={done} />}>
        <p>{protectedPool ? 'Active: the pool cannot be deleted.' : 'Inactive: the pool can be deleted.'}</p>
      </Section>
      <AttributesSection />
      <PoliciesSection />
      <MfaSection />
      <MessagesSection />
      <TagsSection />
      <DevicesSection />
      <TriggersSection />
    </>
  );
}
