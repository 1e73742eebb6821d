// Tags: the pool's cost-allocation tags, changed with TagResource (added or changed) and UntagResource (removed).
import { useState } from 'react';
import { Table, TextField } from '../../components/ui';
import { idp } from '../../lib/api';
import { usePool } from './context';
import { EditForm, Section } from './parts';

function TagsEditor({ done }: { done: (saved: boolean) => void }) {
  const { pool, reload } = usePool();
  const before = pool.UserPoolTags ?? {};
  const [rows, setRows] = useState<{ key: string; value: string }[]>(() => Object.entries(before).map(([key, value]) => ({ key, value })));
  const set = (i: number, patch: Partial<{ key: string; value: string }>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <EditForm
      done={done}
      onSave={async () => {
        const after: Record<string, string> = {};
        for (const r of rows) if (r.key.trim()) after[r.key.trim()] = r.value;
        const removed = Object.keys(before).filter((k) => !(k in after));
        const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v));
        const arn = pool.Arn!;
        if (removed.length) await idp('UntagResource', { ResourceArn: arn, TagKeys: removed });
        if (Object.keys(changed).length) await idp('TagResource', { ResourceArn: arn, Tags: changed });
        reload();
      }}
    >
      {rows.map((r, i) => (
        <div className="field-row" key={i}>
          <TextField label={`Tag key ${i + 1}`} value={r.key} onChange={(key) => set(i, { key })} />
          <TextField label={`Tag value ${i + 1}`} value={r.value} onChange={(value) => set(i, { value })} />
          <button type="button" className="link" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
            Remove tag {i + 1}
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => setRows((rs) => [...rs, { key: '', value: '' }])}>
        Add tag
      </button>
    </EditForm>
  );
}

export function TagsSection() {
  const { pool } = usePool();
  const tags = Object.entries(pool.UserPoolTags ?? {});
  return (
    <Section title="Tags" edit={(done) => <TagsEditor done={done} />}>
      <Table head={['Tag key', 'Tag value']} rows={tags.map(([k, v]) => [k, v])} empty="No tags." />
    </Section>
  );
}
