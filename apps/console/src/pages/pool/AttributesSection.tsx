// Attributes: how users sign in (fixed when the pool was created: shown, not editable), the standard and custom
// attributes of the schema, and "Add custom attributes" (AddCustomAttributes; attributes cannot be removed).
import { useState } from 'react';
import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { Checkbox, Notice, Select, Table, TextField } from '../../components/ui';
import { FormButtons, useAction } from '../../components/form';
import { idp } from '../../lib/api';
import { usePool } from './context';
import { Section, yesNo } from './parts';

type DataType = 'String' | 'Number' | 'DateTime' | 'Boolean';

interface Draft {
  name: string;
  type: DataType;
  min: string;
  max: string;
  mutable: boolean;
}

const emptyDraft = (): Draft => ({ name: '', type: 'String', min: '', max: '', mutable: true });

function constraints(a: SchemaAttributeType): string {
  const s = a.StringAttributeConstraints;
  const n = a.NumberAttributeConstraints;
  if (s && (s.MinLength || s.MaxLength)) return `length ${s.MinLength ?? 0}–${s.MaxLength ?? '∞'}`;
  if (n && (n.MinValue || n.MaxValue)) return `value ${n.MinValue ?? '−∞'}–${n.MaxValue ?? '∞'}`;
  return '';
}

function SignInAttributes() {
  const { pool } = usePool();
  const names: Record<string, string> = { email: 'email address', phone_number: 'phone number', preferred_username: 'preferred username' };
  let how: string;
  if (pool.UsernameAttributes?.length) {
    how = `Users sign in with their ${pool.UsernameAttributes.map((a) => names[a] ?? a).join(' or ')} as their username.`;
  } else if (pool.AliasAttributes?.length) {
    how = `Users sign in with a username, and may also sign in with a verified ${pool.AliasAttributes.map((a) => names[a] ?? a).join(' or ')}.`;
  } else {
    how = 'Users sign in with a username only.';
  }
  return (
    <>
      <h3>How do you want your end users to sign in?</h3>
      <p>{how}</p>
      <dl className="summary">
        <dt>Username attributes</dt>
        <dd>{pool.UsernameAttributes?.join(', ') || 'None'}</dd>
        <dt>Alias attributes</dt>
        <dd>{pool.AliasAttributes?.join(', ') || 'None'}</dd>
        <dt>Case-sensitive usernames</dt>
        <dd>{yesNo(pool.UsernameConfiguration?.CaseSensitive ?? false)}</dd>
      </dl>
      <p className="hint">Sign-in attributes cannot be changed after the pool is created.</p>
    </>
  );
}

function AddCustomAttributes({ close }: { close: (added: string[]) => void }) {
  const { poolId, reload } = usePool();
  const [drafts, setDrafts] = useState<Draft[]>([emptyDraft()]);
  const { busy, error, run } = useAction();
  const set = (i: number, patch: Partial<Draft>) => setDrafts((ds) => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const save = () =>
    run(async () => {
      const CustomAttributes: SchemaAttributeType[] = drafts.map((d) => {
        const a: SchemaAttributeType = { Name: d.name.trim().replace(/^custom:/, ''), AttributeDataType: d.type, Mutable: d.mutable };
        if (d.type === 'String' && (d.min || d.max)) a.StringAttributeConstraints = { MinLength: d.min || undefined, MaxLength: d.max || undefined };
        if (d.type === 'Number' && (d.min || d.max)) a.NumberAttributeConstraints = { MinValue: d.min || undefined, MaxValue: d.max || undefined };
        return a;
      });
      await idp('AddCustomAttributes', { UserPoolId: poolId, CustomAttributes });
      reload();
      close(CustomAttributes.map((a) => `custom:${a.Name}`));
    });
  return (
    <form
      className="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>Add custom attributes</h3>
      {drafts.map((d, i) => (
        <fieldset key={i}>
          <legend>Custom attribute {i + 1}</legend>
          <TextField
            label="Custom attribute name"
            value={d.name}
            onChange={(name) => set(i, { name })}
            hint="Without the custom: prefix, which Cognito adds."
            required
          />
          <Select<DataType>
            label="Type"
            value={d.type}
            onChange={(type) => set(i, { type })}
            options={(['String', 'Number', 'DateTime', 'Boolean'] as const).map((t) => ({ value: t, label: t }))}
          />
          {(d.type === 'String' || d.type === 'Number') && (
            <div className="field-row">
              <TextField label={d.type === 'String' ? 'Min length' : 'Min value'} type="number" value={d.min} onChange={(min) => set(i, { min })} />
              <TextField label={d.type === 'String' ? 'Max length' : 'Max value'} type="number" value={d.max} onChange={(max) => set(i, { max })} />
            </div>
          )}
          <Checkbox
            label="Mutable"
            checked={d.mutable}
            onChange={(mutable) => set(i, { mutable })}
            hint="An immutable attribute can be set only when the user is created."
          />
          {drafts.length > 1 && (
            <button type="button" className="link" onClick={() => setDrafts((ds) => ds.filter((_, j) => j !== i))}>
              Remove custom attribute {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => setDrafts((ds) => [...ds, emptyDraft()])}>
        Add another attribute
      </button>
      <FormButtons error={error} busy={busy} submit="Save custom attributes" onCancel={() => close([])} />
    </form>
  );
}

export function AttributesSection() {
  const { pool } = usePool();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string[]>([]);
  const schema = pool.SchemaAttributes ?? [];
  const standard = schema.filter((a) => !a.Name?.startsWith('custom:') && !a.Name?.startsWith('dev:'));
  const custom = schema.filter((a) => a.Name?.startsWith('custom:') || a.Name?.startsWith('dev:'));
  const row = (a: SchemaAttributeType) => [<code key="n">{a.Name}</code>, a.AttributeDataType ?? '', yesNo(a.Required), yesNo(a.Mutable), constraints(a)];
  return (
    <Section
      title="Attributes"
      actions={
        !adding && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setAdded([]);
              setAdding(true);
            }}
          >
            Add custom attributes
          </button>
        )
      }
    >
      <SignInAttributes />
      {added.length > 0 && <Notice kind="success">Added {added.join(', ')}.</Notice>}
      {adding && (
        <AddCustomAttributes
          close={(names) => {
            setAdded(names);
            setAdding(false);
          }}
        />
      )}
      <h3>Custom attributes</h3>
      <Table head={['Name', 'Type', 'Required', 'Mutable', 'Constraints']} rows={custom.map(row)} empty="No custom attributes." />
      <h3>Standard attributes</h3>
      <p className="hint">Required attributes and the standard attributes' settings are fixed when the pool is created.</p>
      <Table head={['Name', 'Type', 'Required', 'Mutable', 'Constraints']} rows={standard.map(row)} empty="No standard attributes." />
    </Section>
  );
}
