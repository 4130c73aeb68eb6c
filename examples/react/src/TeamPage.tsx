import { useAuth, useOrganization } from '@clerk/react';
import { useEffect, useState } from 'react';
import { getMembers, Member } from './api';

/** The active organization's members, 20 at a time, from GET /organizations/{orgId}/members. */
export function TeamPage({ apiUrl }: { apiUrl: string }) {
  const { getToken } = useAuth();
  const { organization } = useOrganization();
  const [members, setMembers] = useState<Member[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();

  // Each page continues from the `next` cursor of the one before; a fresh token for each call.
  const load = async (orgId: string, after: string | null) => {
    try {
      const token = await getToken();
      if (!token) throw new Error('Not signed in');
      const page = await getMembers(apiUrl, token, orgId, after);
      setMembers((shown) => (after ? [...shown, ...page.data] : page.data));
      setNext(page.next);
      setError(undefined);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  useEffect(() => {
    setMembers([]);
    setNext(null);
    if (organization) void load(organization.id, null);
  }, [organization?.id]);

  if (!organization) return <p>Choose an organization to see its members.</p>;
  return (
    <section>
      <h2>{organization.name}: members</h2>
      {error && <p role="alert">{error}</p>}
      <ul>
        {members.map((member) => (
          <li key={member.userId}>
            {member.imageUrl && <img src={member.imageUrl} alt="" width={24} height={24} />}{' '}
            {[member.firstName, member.lastName].filter(Boolean).join(' ') || member.identifier}{' '}
            <small>
              {member.identifier} · {member.role}
            </small>
          </li>
        ))}
      </ul>
      {next && <button onClick={() => void load(organization.id, next)}>More</button>}
    </section>
  );
}
