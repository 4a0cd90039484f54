/**
 * A Google Takeout `Records.json` for the import benchmark, streamed to disk: one phone and one
 * tablet moving around Lyon and, for a week in four, Montréal (negative longitudes, some written
 * with the old unsigned overflow). Every generation of the record shape appears: `timestampMs`
 * strings (before 2019), ISO `timestamp` with and without fractional seconds, `activity` lists,
 * `source`, `deviceTag`, and the newer metadata (`platformType`, `serverTimestamp`...). About 250
 * bytes a point, so 1,000,000 points make a file of about 250 MB. Deterministic for a count.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from '../../catalog/synthetic/rng.js';

const START_MS = Date.parse('2017-03-01T06:00:00Z');
/** Timestamps switch from `timestampMs` to ISO `timestamp` here, as Google's exports did. */
const ISO_FROM_MS = Date.parse('2019-01-01T00:00:00Z');
const LYON = { lat: 45.764, lon: 4.8357 };
const MONTREAL = { lat: 45.5017, lon: -73.5673 };
const DEVICES = [1_394_512_876, -813_004_233];
const ACTIVITIES = ['STILL', 'ON_FOOT', 'WALKING', 'IN_VEHICLE', 'ON_BICYCLE', 'RUNNING', 'TILTING', 'UNKNOWN'];
const SOURCES = ['WIFI', 'GPS', 'CELL', 'WIFI', 'GPS'];

/** Writes `count` location records to `path`; resolves once the file is flushed. */
export async function writeGoogleRecords(path: string, count: number): Promise<void> {
  const rng = new Rng(`google-records:${count}`);
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{\n  "locations": [');
  let t = START_MS;
  let lat = LYON.lat;
  let lon = LYON.lon;
  let batch = '';
  for (let i = 0; i < count; i++) {
    t += rng.int(20, 240) * 1000 + rng.int(0, 999);
    const abroad = Math.floor((t - START_MS) / (7 * 86_400_000)) % 4 === 3;
    const home = abroad ? MONTREAL : LYON;
    // A random walk pulled back towards home keeps points in a city-sized area.
    lat += (home.lat - lat) * 0.05 + rng.float(-0.002, 0.002);
    lon += (home.lon - lon) * 0.05 + rng.float(-0.003, 0.003);
    batch += (i === 0 ? '' : ',') + record(rng, t, lat, lon);
    if (batch.length > 512 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  await write(`${batch}\n  ]\n}\n`);
  out.end();
  await once(out, 'finish');
}

function record(rng: Rng, t: number, lat: number, lon: number): string {
  const latE7 = Math.round(lat * 1e7);
  let lonE7 = Math.round(lon * 1e7);
  // The overflow some exports carry: a negative value written as its unsigned 32-bit twin.
  if (lonE7 < 0 && rng.chance(0.02)) lonE7 += 2 ** 32;
  const iso = t >= ISO_FROM_MS;
  const fields: string[] = [];
  if (!iso) fields.push(`"timestampMs": "${t}"`);
  fields.push(`"latitudeE7": ${latE7}`, `"longitudeE7": ${lonE7}`, `"accuracy": ${rng.int(3, 60)}`);
  if (rng.chance(0.4)) fields.push(`"altitude": ${rng.int(150, 320)}`, `"verticalAccuracy": ${rng.int(2, 30)}`);
  if (rng.chance(0.15)) fields.push(`"velocity": ${rng.int(0, 30)}`, `"heading": ${rng.int(0, 359)}`);
  if (rng.chance(0.25)) {
    const at = iso ? `"timestamp": "${new Date(t - rng.int(0, 5000)).toISOString()}"` : `"timestampMs": "${t - 1500}"`;
    const top = rng.pick(ACTIVITIES);
    fields.push(
      `"activity": [{\n      "activity": [{\n        "type": "${top}",\n        "confidence": ${rng.int(50, 100)}\n      }, {\n        "type": "UNKNOWN",\n        "confidence": ${rng.int(0, 20)}\n      }],\n      ${at}\n    }]`,
    );
  }
  fields.push(`"source": "${rng.pick(SOURCES)}"`, `"deviceTag": ${rng.pick(DEVICES)}`);
  if (iso) {
    fields.push(`"platformType": "ANDROID"`, `"formFactor": "PHONE"`);
    if (rng.chance(0.5)) fields.push(`"serverTimestamp": "${new Date(t + rng.int(1000, 90_000)).toISOString()}"`);
    // Whole seconds are written without a fraction.
    const stamp = new Date(t).toISOString().replace('.000Z', 'Z');
    fields.push(`"timestamp": "${stamp}"`);
  }
  return `{\n    ${fields.join(',\n    ')}\n  }`;
}
