import { generate as activityWorkout } from './doctypes/activity.workout/generator.js';
import { generate as bankAccount } from './doctypes/bank.account/generator.js';
import { generate as bankTransaction } from './doctypes/bank.transaction/generator.js';
import { generate as bill } from './doctypes/bill/generator.js';
import { generate as calendarEvent } from './doctypes/calendar.event/generator.js';
import { generate as contact } from './doctypes/contact/generator.js';
import { generate as energyContract } from './doctypes/energy.contract/generator.js';
import { generate as energyElectricityDaily } from './doctypes/energy.electricity.daily/generator.js';
import { generate as energyElectricityLoadCurve } from './doctypes/energy.electricity.load-curve/generator.js';
import { generate as energyElectricityMaxPower } from './doctypes/energy.electricity.max-power/generator.js';
import { generate as energyGasDaily } from './doctypes/energy.gas.daily/generator.js';
import { generate as healthClaim } from './doctypes/health.claim/generator.js';
import { generate as healthEncounter } from './doctypes/health.encounter/generator.js';
import { generate as healthObservation } from './doctypes/health.observation/generator.js';
import { generate as healthSample } from './doctypes/health.sample/generator.js';
import { generate as insuranceClaim } from './doctypes/insurance.claim/generator.js';
import { generate as insuranceContract } from './doctypes/insurance.contract/generator.js';
import { generate as locationPoint } from './doctypes/location.point/generator.js';
import { generate as locationVisit } from './doctypes/location.visit/generator.js';
import { generate as mediaListen } from './doctypes/media.listen/generator.js';
import { generate as mediaView } from './doctypes/media.view/generator.js';
import { generate as rawRecord } from './doctypes/raw.record/generator.js';
import { generate as retailReceipt } from './doctypes/retail.receipt/generator.js';
import { generate as socialConnection } from './doctypes/social.connection/generator.js';
import { generate as socialPost } from './doctypes/social.post/generator.js';
import { generate as telecomCall } from './doctypes/telecom.call/generator.js';
import { generate as telecomDataUsage } from './doctypes/telecom.data-usage/generator.js';
import { generate as telecomLine } from './doctypes/telecom.line/generator.js';
import { generate as telecomVodView } from './doctypes/telecom.vod-view/generator.js';
import { generate as waterDaily } from './doctypes/water.daily/generator.js';
import type { Generator } from './synthetic/generate-options.js';

/**
 * Every catalog doctype's synthetic generator, by doctype name. With the same seed they describe
 * one household (see synthetic/household.ts): the simulated holders and demos build on them.
 */
export const generators: Readonly<Record<string, Generator>> = {
  'activity.workout': activityWorkout,
  'bank.account': bankAccount,
  'bank.transaction': bankTransaction,
  bill: bill,
  'calendar.event': calendarEvent,
  contact: contact,
  'energy.contract': energyContract,
  'energy.electricity.daily': energyElectricityDaily,
  'energy.electricity.load-curve': energyElectricityLoadCurve,
  'energy.electricity.max-power': energyElectricityMaxPower,
  'energy.gas.daily': energyGasDaily,
  'health.claim': healthClaim,
  'health.encounter': healthEncounter,
  'health.observation': healthObservation,
  'health.sample': healthSample,
  'insurance.claim': insuranceClaim,
  'insurance.contract': insuranceContract,
  'location.point': locationPoint,
  'location.visit': locationVisit,
  'media.listen': mediaListen,
  'media.view': mediaView,
  'raw.record': rawRecord,
  'retail.receipt': retailReceipt,
  'social.connection': socialConnection,
  'social.post': socialPost,
  'telecom.call': telecomCall,
  'telecom.data-usage': telecomDataUsage,
  'telecom.line': telecomLine,
  'telecom.vod-view': telecomVodView,
  'water.daily': waterDaily,
};
