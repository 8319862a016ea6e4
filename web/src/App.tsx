import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Client, type Me } from './api';
import { Login } from './pages/Login';
import { StudyPage } from './pages/Study';
import { QuickCheck } from './pages/QuickCheck';
import { NewEngagement } from './pages/NewEngagement';

/** Roles that may open a new engagement (src/server/roles.ts, engagement.create); the server checks again. */
const CREATORS = new Set(['firm_admin', 'preparer']);

/** Hash routes: #/ (home), #/studies/<id>/<tab>. */
function useHash(): string {
  const [h, setH] = useState(location.hash);
  useEffect(() => {
    const on = () => setH(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return h;
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [clients, setClients] = useState<Record<string, Client[]>>({});
  const hash = useHash();

  const load = useCallback(async () => {
    try {
      const m = await api.me();
      setMe(m);
      const all: Record<string, Client[]> = {};
      for (const ms of m.user.memberships) all[ms.firmId] = (await api.clients(ms.firmId)).clients;
      setClients(all);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (me === undefined) return <p style={{ padding: 20 }}>Loading…</p>;
  if (me === null) return <Login onDone={load} />;

  const m = /^#\/studies\/([^/]+)(?:\/([a-z-]+))?(?:\/([^/]+))?/.exec(hash);
  const studyId = m ? decodeURIComponent(m[1]!) : undefined;
  const tab = m?.[2] ?? 'dashboard';
  const sub = m?.[3] ? decodeURIComponent(m[3]) : undefined;
  const role = (firmId: string) => me.user.memberships.find((x) => x.firmId === firmId)?.role ?? '';

  return (
    <>
      <header className="top">
        <a className="brand" href="#/">rdcredit</a>
        <a href="#/quick-check">Quick check</a>
        <span className="spacer" />
        <span>
          {me.user.name} ({me.user.memberships.map((x) => `${x.firmName ?? x.firmId}: ${me.roles[x.role] ?? x.role}`).join('; ')})
        </span>
        <button
          className="link"
          onClick={async () => {
            await api.logout();
            setMe(null);
            location.hash = '#/';
          }}
        >
          Log out
        </button>
      </header>
      <div className="layout">
        <nav className="side" aria-label="Clients and tax years">
          {Object.entries(clients).map(([firmId, list]) => (
            <div key={firmId}>
              <h2>{me.user.memberships.find((x) => x.firmId === firmId)?.firmName ?? firmId}</h2>
              {list.map((c) => (
                <div key={c.id}>
                  <strong>{c.name}</strong>
                  <ul>
                    {c.studies.map((s) => (
                      <li key={s.id}>
                        <a href={`#/studies/${encodeURIComponent(s.id)}/${role(firmId) === 'client_contributor' ? 'components' : 'dashboard'}`} aria-current={studyId === s.id ? 'page' : undefined}>
                          Tax year {s.period.start.slice(0, 4)}
                          {s.period.start.slice(5) !== '01-01' ? ` (from ${s.period.start})` : ''}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          ))}
        </nav>
        <main>
          {studyId ? (
            <StudyPage key={studyId} id={studyId} tab={tab} {...(sub ? { sub } : {})} me={me} />
          ) : hash.startsWith('#/quick-check') ? (
            <QuickCheck />
          ) : (
            <section>
              <h1>Clients</h1>
              <p className="muted">Choose a client's tax year on the left to see its credits, forms, people, components and review.</p>
              {Object.entries(clients)
                .filter(([firmId]) => CREATORS.has(role(firmId)))
                .map(([firmId, list]) => (
                  <NewEngagement key={firmId} firmId={firmId} clients={list} onChanged={load} />
                ))}
              <table>
                <thead>
                  <tr>
                    <th>Client</th>
                    <th>Tax years</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.values(clients)
                    .flat()
                    .map((c) => (
                      <tr key={c.id}>
                        <td>{c.name}</td>
                        <td>
                          {c.studies.map((s) => (
                            <a key={s.id} href={`#/studies/${encodeURIComponent(s.id)}/dashboard`} style={{ marginRight: 10 }}>
                              {s.title}
                            </a>
                          ))}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
          )}
        </main>
      </div>
    </>
  );
}
