/**
 * The Places app's page: the location history on a map drawn from a bundled basemap (or a tile
 * source the person sets), the places ranked by time spent, and trips per day. Reads through the
 * SDK only; the figures come from ../logic.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { FoyerClient, FoyerDocument } from '../../../src/sdk/client.js';
import { localTimeIn } from '../../shared/local-time.js';
import { formatter } from '../../shared/web/i18n.js';
import { baseStyle, injectStyle } from '../../shared/web/style.css.js';
import { BarChart, Figures, Page } from '../../shared/web/ui.js';
import { readSeries, useApp } from '../../shared/web/use-app.js';
import { basemap } from '../logic/basemap.js';
import { distanceMetres } from '../logic/geo.js';
import { findPlaces, type Place, type PlacesResult } from '../logic/places.js';
import type { LocationPoint, LocationVisit } from '../logic/types.js';
import { PlacesMap } from './map.js';
import { text } from './text.js';

const SETTINGS = 'app.places.settings';
interface Settings {
  tileUrl?: string;
}

interface Data {
  points: number;
  result: PlacesResult;
  settings?: FoyerDocument<Settings>;
  client: FoyerClient;
}

async function load(client: FoyerClient): Promise<Data> {
  const [points, visits, settings] = await Promise.all([
    readSeries<LocationPoint>(client, 'location.point'),
    client
      .documents<LocationVisit>('location.visit')
      .all()
      .catch(() => [] as LocationVisit[]),
    client
      .documents<Settings>(SETTINGS)
      .all({ limit: 1 })
      .catch(() => [] as FoyerDocument<Settings>[]),
  ]);
  const result = findPlaces(points, { localTime: localTimeIn('Europe/Paris') }, visits);
  return { points: points.length, result, ...(settings[0] ? { settings: settings[0] } : {}), client };
}

const towns = basemap.features.filter((f) => f.geometry.type === 'Point');

function nearestTown(p: Place): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const f of towns) {
    if (f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    const d = distanceMetres(p, { lat, lon });
    if (!best || d < best.d) best = { name: f.properties.name, d };
  }
  return best && best.d < 40_000 ? best.name : undefined;
}

const WEEKDAYS = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  fr: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
};

function TileSettings(props: { data: Data; t: (typeof text)['en']; onChange: (url?: string) => void }) {
  const { t } = props;
  const [value, setValue] = useState(props.data.settings?.tileUrl ?? '');
  const [status, setStatus] = useState('');
  const save = async (url?: string) => {
    const docs = props.data.client.documents<Settings>(SETTINGS);
    try {
      const current = (await docs.all({ limit: 1 }))[0];
      if (current) await docs.update({ ...current, ...(url ? { tileUrl: url } : { tileUrl: undefined }) });
      else await docs.create(url ? { tileUrl: url } : {});
      setStatus(t.saved);
      props.onChange(url);
    } catch (e) {
      setStatus((e as Error).message);
    }
  };
  return (
    <details>
      <summary>{t.tiles}</summary>
      <p class="note">{t.tilesNote}</p>
      {/* No <form>: the sandboxed frame may not submit forms (no allow-forms); buttons do the work. */}
      <div>
        <label>
          {t.tileUrl}{' '}
          <input
            value={value}
            size={48}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save(value.trim() || undefined);
            }}
          />
        </label>{' '}
        <button type="button" onClick={() => void save(value.trim() || undefined)}>
          {t.save}
        </button>{' '}
        <button
          type="button"
          onClick={() => {
            setValue('');
            void save(undefined);
          }}
        >
          {t.clear}
        </button>
        <span role="status"> {status}</span>
      </div>
    </details>
  );
}

function App() {
  const state = useApp(load);
  const t = text[state.lang];
  const f = formatter(state.lang);
  const [scope, setScope] = useState<'home' | 'all'>('home');
  const [tileUrl, setTileUrl] = useState<string | undefined>(undefined);
  return (
    <Page title={t.title} state={state} text={t}>
      {(data) => {
        const { places, tripsPerDay } = data.result;
        if (places.length === 0) return <p>{t.noData}</p>;
        const names = new Map<number, string>();
        places.forEach((p, i) => {
          const town = nearestTown(p);
          names.set(p.id, p.home ? t.home : (p.name ?? `${t.placeN} ${i + 1}${town ? ` (${t.near} ${town})` : ''}`));
        });
        const nameOf = (p: Place) => names.get(p.id) ?? '';
        const home = places.find((p) => p.home) ?? (places[0] as Place);
        const focus = scope === 'all' ? places : places.filter((p) => distanceMetres(p, home) < 30_000 && p.hours > 0);
        const lastDays = tripsPerDay.slice(-60);
        const average = tripsPerDay.reduce((s, d) => s + d.trips, 0) / Math.max(1, tripsPerDay.length);
        const weekday = [0, 1, 2, 3, 4, 5, 6].map((w) => {
          const days = tripsPerDay.filter((d) => new Date(`${d.day}T00:00:00Z`).getUTCDay() === w);
          return days.reduce((s, d) => s + d.trips, 0) / Math.max(1, days.length);
        });
        const url = tileUrl ?? data.settings?.tileUrl;
        return (
          <>
            <Figures
              items={[
                { value: f.n0(data.points), label: t.summaryPoints },
                { value: places.length, label: t.summaryPlaces },
                { value: f.n1(average), label: t.summaryTrips },
              ]}
            />
            <section>
              <h2>{t.map}</h2>
              <div class="tabs" role="group" aria-label={t.map}>
                <button type="button" aria-pressed={scope === 'home'} onClick={() => setScope('home')}>
                  {t.viewHome}
                </button>
                <button type="button" aria-pressed={scope === 'all'} onClick={() => setScope('all')}>
                  {t.viewAll}
                </button>
              </div>
              <PlacesMap
                places={places}
                focus={focus}
                label={t.mapLabel}
                nameOf={nameOf}
                {...(url ? { tileUrl: url } : {})}
              />
              <p class="note">{t.basemapCredit}</p>
              <TileSettings data={data} t={t} onChange={(u) => setTileUrl(u ?? '')} />
            </section>
            <section>
              <h2>{t.places}</h2>
              <p class="note">{t.placesNote}</p>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t.rank}</th>
                      <th>{t.place}</th>
                      <th class="num">{t.hours}</th>
                      <th class="num">{t.visits}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {places.slice(0, 10).map((p, i) => (
                      <tr key={p.id}>
                        <td>{i + 1}</td>
                        <td>{nameOf(p)}</td>
                        <td class="num">{f.n0(p.hours)}</td>
                        <td class="num">{p.visits}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <section>
              <h2>{t.trips}</h2>
              <p class="note">{t.tripsNote}</p>
              <BarChart
                label={t.tripsChart}
                bars={lastDays.map((d) => ({
                  key: d.day,
                  label: d.day.slice(5),
                  value: d.trips,
                  title: `${f.day(d.day)} : ${d.trips}`,
                }))}
              />
              <h3>{t.perWeekday}</h3>
              <table>
                <tbody>
                  <tr>
                    {[1, 2, 3, 4, 5, 6, 0].map((w) => (
                      <td key={w} class="num">
                        {WEEKDAYS[state.lang][w]} {f.n1(weekday[w] ?? 0)}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </section>
          </>
        );
      }}
    </Page>
  );
}

injectStyle(
  `${baseStyle}
.map { width: 100%; height: auto; display: block; border: 1px solid #d8dde6; border-radius: 6px; }
.sea { fill: #dce9f5; } .land { fill: #f4f1e8; stroke: #9aa5b1; stroke-width: 1; } .land.over { fill: none; }
.river { fill: none; stroke: #7fa7d1; stroke-width: 2; } .town { fill: #4a5568; } .town-name { font-size: 12px; fill: #2d3748; }
.place { fill: #3b6ea8; fill-opacity: 0.75; stroke: #fff; stroke-width: 1.5; } .place.home { fill: #c2571a; }
`,
);
render(<App />, document.getElementById('app') as HTMLElement);
