// Devices: whether the pool remembers users' devices (never, always, or when the user opts in) and whether a
// remembered device suppresses the second factor (UpdateUserPool's DeviceConfiguration; absent = not remembered).
import { useState } from 'react';
import { Radio } from '../../components/ui';
import { usePool } from './context';
import { EditForm, Section } from './parts';
import { updatePool } from './updatable';

type Remember = 'no' | 'always' | 'opt-in';

function DevicesEditor({ done }: { done: (saved: boolean) => void }) {
  const { pool, poolId, reload } = usePool();
  const d = pool.DeviceConfiguration;
  const [remember, setRemember] = useState<Remember>(!d ? 'no' : d.DeviceOnlyRememberedOnUserPrompt ? 'opt-in' : 'always');
  const [suppress, setSuppress] = useState<'yes' | 'no'>(d?.ChallengeRequiredOnNewDevice ? 'yes' : 'no');
  return (
    <EditForm
      done={done}
      onSave={async () => {
        await updatePool(poolId, () => ({
          DeviceConfiguration:
            remember === 'no' ? undefined : { DeviceOnlyRememberedOnUserPrompt: remember === 'opt-in', ChallengeRequiredOnNewDevice: suppress === 'yes' },
        }));
        reload();
      }}
    >
      <Radio<Remember>
        legend="Do you want to remember your user's devices?"
        value={remember}
        onChange={setRemember}
        options={[
          { value: 'no', label: 'No' },
          { value: 'always', label: 'Always' },
          { value: 'opt-in', label: 'User Opt In' },
        ]}
      />
      {remember !== 'no' && (
        <Radio<'yes' | 'no'>
          legend="Do you want to use a remembered device to suppress the second factor during multi-factor authentication (MFA)?"
          value={suppress}
          onChange={setSuppress}
          options={[
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ]}
        />
      )}
    </EditForm>
  );
}

export function DevicesSection() {
  const { pool } = usePool();
  const d = pool.DeviceConfiguration;
  return (
    <Section title="Devices" edit={(done) => <DevicesEditor done={done} />}>
      <dl className="summary">
        <dt>Remember user devices</dt>
        <dd>{!d ? 'No' : d.DeviceOnlyRememberedOnUserPrompt ? 'User Opt In' : 'Always'}</dd>
        {d && (
          <>
            <dt>Suppress the second factor on remembered devices</dt>
            <dd>{d.ChallengeRequiredOnNewDevice ? 'Yes' : 'No'}</dd>
          </>
        )}
      </dl>
    </Section>
  );
}
