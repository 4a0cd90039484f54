/** The map: the bundled basemap in SVG, the places as circles sized by time spent, optional tiles. */
import { basemap, type Position } from '../logic/basemap.js';
import { fitView, project, tilesFor, type MapView } from '../logic/map-view.js';
import type { Place } from '../logic/places.js';

const WIDTH = 960;
const HEIGHT = 540;

function path(view: MapView, ring: readonly Position[], close: boolean): string {
  return (
    ring
      .map(([lon, lat], i) => {
        const { x, y } = project(view, { lat, lon });
        return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join('') + (close ? 'Z' : '')
  );
}

export function PlacesMap(props: {
  places: Place[];
  focus: Place[];
  label: string;
  nameOf: (p: Place) => string;
  tileUrl?: string;
}) {
  const view = fitView(props.focus, WIDTH, HEIGHT, { padding: 40, maxZoom: 14, integerZoom: Boolean(props.tileUrl) });
  const maxHours = Math.max(1, ...props.places.map((p) => p.hours));
  let tiles: ReturnType<typeof tilesFor> = [];
  try {
    tiles = props.tileUrl ? tilesFor(view, props.tileUrl) : [];
  } catch {
    tiles = [];
  }
  return (
    <svg class="map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label}>
      <rect width={WIDTH} height={HEIGHT} class="sea" />
      {tiles.map((t) => (
        <image key={t.url} href={t.url} x={t.left} y={t.top} width={t.size} height={t.size} />
      ))}
      {basemap.features.map((f) => {
        const g = f.geometry;
        if (g.type === 'Polygon')
          return (
            <path
              key={f.properties.name}
              d={g.coordinates.map((r) => path(view, r, true)).join('')}
              class={tiles.length ? 'land over' : 'land'}
            />
          );
        if (g.type === 'LineString')
          return <path key={f.properties.name} d={path(view, g.coordinates, false)} class="river" />;
        const { x, y } = project(view, { lon: g.coordinates[0], lat: g.coordinates[1] });
        if (x < 0 || y < 0 || x > WIDTH || y > HEIGHT) return null;
        return (
          <g key={f.properties.name}>
            <circle cx={x} cy={y} r={2.5} class="town" />
            <text x={x + 5} y={y - 4} class="town-name">
              {f.properties.name}
            </text>
          </g>
        );
      })}
      {[...props.places].reverse().map((p) => {
        const { x, y } = project(view, p);
        const r = 4 + 14 * Math.sqrt(p.hours / maxHours);
        return (
          <circle key={p.id} cx={x} cy={y} r={r} class={p.home ? 'place home' : 'place'}>
            <title>{props.nameOf(p)}</title>
          </circle>
        );
      })}
    </svg>
  );
}
