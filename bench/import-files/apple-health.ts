/**
 * An Apple Health `export.xml` for the import benchmark, streamed to disk: the DOCTYPE with the
 * internal DTD subset Apple writes at the top, `ExportDate` and `Me`, then years of one person's
 * data in time order as the Health app exports it: heart rate from the watch (with its device
 * string and motion-context metadata), step counts, distances and active energy from the phone and
 * the watch (the same minutes from two sources), basal energy, a weight now and then, sleep stages,
 * blood pressure readings (two Records and their Correlation), workouts in the pre- and post-iOS 16
 * shapes, and one ActivitySummary a day. Dates carry the Paris offset of their day
 * (`+0100`/`+0200`). About 300 bytes a record: 4,000,000 records make about 1.2 GB.
 *
 * `count` is the number of records the importer yields for the file: a Record is one, a Workout
 * one, a blood pressure Correlation one, an ActivitySummary eight. Every (stream, time) is unique.
 * Deterministic for a count.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from '../../catalog/synthetic/rng.js';
import { parisOffsetMs } from '../../catalog/synthetic/time.js';

const START_MS = Date.parse('2019-01-01T05:00:00Z');
const WATCH = 'Apple Watch de Léa';
const PHONE = 'iPhone de Léa';
const WATCH_DEVICE =
  '&lt;&lt;HKDevice: 0x283ad4f00&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.3.1&gt;';
const PHONE_DEVICE =
  '&lt;&lt;HKDevice: 0x281c2a120&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,5, software:17.3.1&gt;';

/** The records an ActivitySummary yields (every ring value and goal present). */
const SUMMARY_RECORDS = 8;

/** Writes an export that yields `count` records to `path`; resolves once the file is flushed. */
export async function writeAppleHealth(path: string, count: number): Promise<void> {
  const rng = new Rng(`apple-health:${count}`);
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let batch = '';
  const write = async (text: string) => {
    batch += text;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  };
  await write(HEAD);
  let left = count;
  let t = START_MS;
  let day = '';
  let step = 0;
  while (left > 0) {
    // One tick: a few minutes of the person's day.
    t += rng.int(60, 240) * 1000;
    step++;
    const today = localDay(t);
    if (today !== day && day !== '' && left >= SUMMARY_RECORDS) {
      await write(summary(rng, day));
      left -= SUMMARY_RECORDS;
    }
    day = today;
    const hour = new Date(t + parisOffsetMs(t)).getUTCHours();
    const asleep = hour < 7 || hour >= 23;
    if (left >= 1) {
      await write(heartRate(rng, t, asleep));
      left--;
    }
    if (!asleep && left >= 4) {
      const end = t + rng.int(30, 59) * 1000;
      await write(quantity('StepCount', PHONE, PHONE_DEVICE, 'count', t, end, rng.int(5, 120)));
      await write(quantity('StepCount', WATCH, WATCH_DEVICE, 'count', t, end, rng.int(5, 120)));
      await write(quantity('DistanceWalkingRunning', PHONE, PHONE_DEVICE, 'km', t, end, rng.float(0.004, 0.09, 5)));
      await write(quantity('ActiveEnergyBurned', WATCH, WATCH_DEVICE, 'Cal', t, end, rng.float(0.2, 9, 3)));
      left -= 4;
    }
    if (step % 12 === 0 && left >= 1) {
      await write(
        quantity('BasalEnergyBurned', WATCH, WATCH_DEVICE, 'Cal', t, t + 3_600_000 - 1000, rng.float(55, 75, 3)),
      );
      left--;
    }
    if (asleep && step % 9 === 0 && left >= 1) {
      await write(sleep(rng, t));
      left--;
    }
    if (step % 600 === 0 && left >= 1) {
      await write(quantity('BodyMass', 'Withings', null, 'kg', t, t, rng.float(60, 63, 1)));
      left--;
    }
    if (step % 1500 === 0 && left >= 3) {
      await write(bloodPressure(rng, t));
      left -= 3;
    }
    if (step % 700 === 0 && left >= 1) {
      await write(workout(rng, t));
      left--;
    }
  }
  await write('</HealthData>\n');
  out.write(batch);
  out.end();
  await once(out, 'finish');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2024-03-10 08:15:00 +0100`: Paris local time and its offset, as Apple writes dates. */
function appleDate(ms: number): string {
  const offset = parisOffsetMs(ms);
  const d = new Date(ms + offset);
  const minutes = offset / 60_000;
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

const localDay = (ms: number) => appleDate(ms).slice(0, 10);

function quantity(
  type: string,
  source: string,
  device: string | null,
  unit: string,
  start: number,
  end: number,
  value: number,
): string {
  return (
    ` <Record type="HKQuantityTypeIdentifier${type}" sourceName="${source}" sourceVersion="10.3.1"` +
    `${device ? ` device="${device}"` : ''} unit="${unit}" creationDate="${appleDate(end + 5000)}"` +
    ` startDate="${appleDate(start)}" endDate="${appleDate(end)}" value="${value}"/>\n`
  );
}

function heartRate(rng: Rng, t: number, asleep: boolean): string {
  const value = Math.round(asleep ? rng.normal(56, 4) : rng.normal(78, 12));
  const date = appleDate(t);
  return (
    ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="${WATCH}" sourceVersion="10.3.1" device="${WATCH_DEVICE}"` +
    ` unit="count/min" creationDate="${date}" startDate="${date}" endDate="${date}" value="${value}">\n` +
    `  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="${asleep ? 1 : rng.int(0, 2)}"/>\n` +
    ' </Record>\n'
  );
}

function sleep(rng: Rng, t: number): string {
  const stage = rng.pick(['AsleepCore', 'AsleepDeep', 'AsleepREM', 'Awake']);
  return (
    ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="${WATCH}" sourceVersion="10.3.1" device="${WATCH_DEVICE}"` +
    ` creationDate="${appleDate(t + 60_000)}" startDate="${appleDate(t)}" endDate="${appleDate(t + rng.int(5, 50) * 1000)}"` +
    ` value="HKCategoryValueSleepAnalysis${stage}"/>\n`
  );
}

function bloodPressure(rng: Rng, t: number): string {
  const date = appleDate(t);
  const part = (type: string, value: number) =>
    `<Record type="HKQuantityTypeIdentifierBloodPressure${type}" sourceName="Withings" sourceVersion="6.3.1" unit="mmHg"` +
    ` creationDate="${date}" startDate="${date}" endDate="${date}" value="${value}"/>\n`;
  const systolic = rng.int(112, 138);
  const diastolic = rng.int(70, 88);
  return (
    ` ${part('Systolic', systolic)} ${part('Diastolic', diastolic)}` +
    ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Withings" sourceVersion="6.3.1"` +
    ` creationDate="${date}" startDate="${date}" endDate="${date}">\n` +
    '  <MetadataEntry key="HKWasUserEntered" value="0"/>\n' +
    `  ${part('Diastolic', diastolic)}  ${part('Systolic', systolic)}` +
    ' </Correlation>\n'
  );
}

function workout(rng: Rng, t: number): string {
  const minutes = rng.float(20, 90, 2);
  const end = t + Math.round(minutes * 60_000);
  const km = rng.float(3, 15, 4);
  const kcal = rng.float(150, 900, 1);
  const common = `sourceName="${WATCH}" sourceVersion="10.3.1" device="${WATCH_DEVICE}" creationDate="${appleDate(end + 60_000)}" startDate="${appleDate(t)}" endDate="${appleDate(end)}"`;
  // Before late 2022 the totals were attributes; since iOS 16 they are WorkoutStatistics.
  if (t < Date.parse('2022-10-01T00:00:00Z')) {
    return (
      ` <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="${minutes}" durationUnit="min"` +
      ` totalDistance="${km}" totalDistanceUnit="km" totalEnergyBurned="${kcal}" totalEnergyBurnedUnit="Cal" ${common}>\n` +
      '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n' +
      `  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="${appleDate(t)}" duration="${minutes}" durationUnit="min"/>\n` +
      ' </Workout>\n'
    );
  }
  const stat = (type: string, values: string) =>
    `  <WorkoutStatistics type="HKQuantityTypeIdentifier${type}" startDate="${appleDate(t)}" endDate="${appleDate(end)}" ${values}/>\n`;
  return (
    ` <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="${minutes}" durationUnit="min" ${common}>\n` +
    '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n' +
    `  <MetadataEntry key="HKElevationAscended" value="${rng.int(500, 9000)} cm"/>\n` +
    stat('ActiveEnergyBurned', `sum="${kcal}" unit="kcal"`) +
    stat('DistanceWalkingRunning', `sum="${km}" unit="km"`) +
    stat(
      'HeartRate',
      `average="${rng.float(120, 160, 2)}" minimum="${rng.int(80, 110)}" maximum="${rng.int(160, 185)}" unit="count/min"`,
    ) +
    `  <WorkoutRoute sourceName="${WATCH}" sourceVersion="10.3.1" creationDate="${appleDate(end)}" startDate="${appleDate(t)}" endDate="${appleDate(end)}">\n` +
    `   <FileReference path="/workout-routes/route_${appleDate(t).slice(0, 10)}_${rng.int(1, 12)}.${pad(rng.int(0, 59))}am.gpx"/>\n` +
    '  </WorkoutRoute>\n' +
    ' </Workout>\n'
  );
}

function summary(rng: Rng, day: string): string {
  return (
    ` <ActivitySummary dateComponents="${day}" activeEnergyBurned="${rng.float(150, 800, 3)}" activeEnergyBurnedGoal="400"` +
    ` activeEnergyBurnedUnit="Cal" appleMoveTime="0" appleMoveTimeGoal="0" appleExerciseTime="${rng.int(0, 90)}"` +
    ` appleExerciseTimeGoal="30" appleStandHours="${rng.int(4, 15)}" appleStandHoursGoal="12"/>\n`
  );
}

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutEvent (MetadataEntry?)>
<!ATTLIST WorkoutEvent
  type         CDATA #REQUIRED
  date         CDATA #REQUIRED
  duration     CDATA #IMPLIED
  durationUnit CDATA #IMPLIED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type      CDATA #REQUIRED
  startDate CDATA #REQUIRED
  endDate   CDATA #REQUIRED
  average   CDATA #IMPLIED
  minimum   CDATA #IMPLIED
  maximum   CDATA #IMPLIED
  sum       CDATA #IMPLIED
  unit      CDATA #IMPLIED
>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleMoveTime            CDATA #IMPLIED
  appleMoveTimeGoal        CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
>
]>
<HealthData locale="fr_FR">
 <ExportDate value="2024-06-30 21:04:10 +0200"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1986-05-14" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeAPositive" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
`;
