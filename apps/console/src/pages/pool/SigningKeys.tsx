// Signing keys: the pool's JWKS and OpenID discovery documents (<endpoint>/<poolId>/.well-known/…), the key ids the
// JWKS lists now, and "Rotate signing keys" (CorralAdmin RotateSigningKeys).
import { useState } from 'react';
import { ActionButton, ErrorNotice, Loading, Notice, Table, useLoad } from '../../components/ui';
import { corral } from '../../lib/api';
import { usePool } from './context';
import { useEndpoint } from './hosted';
import { Section } from './parts';

interface Jwk {
  kid: string;
  alg?: string;
  use?: string;
  kty?: string;
}

/** The JWKS as served now (read from this origin, which is Corral; no cache, so a rotation shows at once). */
async function readJwks(poolId: string): Promise<Jwk[]> {
  const res = await fetch(`${window.location.origin}/${encodeURIComponent(poolId)}/.well-known/jwks.json`, { cache: 'no-store' });
  const body = (await res.json().catch(() => ({}))) as { keys?: Jwk[]; message?: string };
  if (!res.ok) throw new Error(`The JWKS answered ${res.status}${body.message ? `: ${body.message}` : ''}.`);
  return body.keys ?? [];
}

export function SigningKeys() {
  const { poolId } = usePool();
  const endpoint = useEndpoint();
  const jwks = useLoad(() => readJwks(poolId), [poolId]);
  const [rotated, setRotated] = useState<string[]>();
  const jwksUrl = `${endpoint}/${poolId}/.well-known/jwks.json`;
  const discoveryUrl = `${endpoint}/${poolId}/.well-known/openid-configuration`;
  return (
    <Section title="Signing keys">
      <dl className="summary">
        <dt>JWKS</dt>
        <dd>
          <a href={jwksUrl} target="_blank" rel="noreferrer">
            {jwksUrl}
          </a>
        </dd>
        <dt>OpenID discovery</dt>
        <dd>
          <a href={discoveryUrl} target="_blank" rel="noreferrer">
            {discoveryUrl}
          </a>
        </dd>
      </dl>
      <h3>Current keys</h3>
      <ErrorNotice error={jwks.error} />
      {!jwks.data && !jwks.error && <Loading what="the JWKS" />}
      {jwks.data && (
        <Table
          head={['Key id (kid)', 'Algorithm', 'Use']}
          rows={jwks.data.map((k) => [<code key="k">{k.kid}</code>, k.alg ?? '', k.use ?? ''])}
          empty="The JWKS lists no keys yet."
        />
      )}
      {rotated && (
        <Notice kind="success">
          Signing keys rotated. New key ids: {rotated.join(', ')}. Tokens signed by the old keys stay valid while the JWKS still lists them.
        </Notice>
      )}
      <div className="toolbar">
        <ActionButton
          kind="danger"
          confirm="Rotate this pool's signing keys? New tokens are signed with new keys; the old keys stay in the JWKS for a grace period."
          onClick={async () => {
            setRotated(undefined);
            const out = await corral('RotateSigningKeys', { UserPoolId: poolId });
            setRotated(out.KeyIds ?? []);
            jwks.reload();
          }}
        >
          Rotate signing keys
        </ActionButton>
      </div>
    </Section>
  );
}
