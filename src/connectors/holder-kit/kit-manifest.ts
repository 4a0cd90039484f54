/**
 * The manifest of a connector to one Holder Kit holder, from what differs between holders: who it
 * is, where its API is, which doctypes to collect and why. Everything else is the Kit's: OAuth2
 * authorization code with PKCE at the holder (the person logs in there; the password never reaches
 * Foyer), the Kit's own paths, one scope per doctype, a daily run in a wide window after holders
 * publish the day before (06:00 Paris). Plain code: a connector's bundle includes it.
 */
import type { ConnectorManifestInput } from '../manifest.js';
import { KIT_DOCTYPES } from './kit-doctypes.js';

type Text = { en: string; fr: string };

export interface KitConnectorSpec {
  id: string;
  /** The organisation, as the person knows it. */
  holder: { name: string; url: string };
  /** Base URL of the holder's Kit (discovery at its host's `/.well-known/holder-kit`). */
  api: string;
  /** The doctypes to collect, in order, each with why (shown in the consent text). */
  doctypes: { doctype: string; reason: Text }[];
  purpose: Text;
  description?: Text;
  version?: string;
  /** The Kit's client id Foyer is registered under at this holder. */
  clientId?: string;
  /** Per run; a first sync of three years of a busy holder is tens of thousands of items. */
  timeSeconds?: number;
  /** Why it keeps the files the items list (a bill's PDF): the connector then collects them. */
  files?: Text;
  /**
   * Read the OAuth endpoints from the holder's discovery document when the person connects, and ask
   * only for the doctypes it offers: for a connector installed at any holder's origin.
   */
  discovered?: boolean;
}

/** The scope of the files a connector keeps (Foyer's file doctype; the connector's bundle cannot import core). */
const FILES = 'foyer.file';
/** Where a Kit holder serves its discovery document (docs/holder-kit.md). */
const DISCOVERY_PATH = '/.well-known/holder-kit';

const verbsFor = (series: boolean): ('create' | 'update')[] => (series ? ['create'] : ['create', 'update']);

/** What the generic connector collects under a manifest: its doctypes, and files if it declares them. */
export function kitRunOptions(manifest: ConnectorManifestInput): { doctypes: string[]; files: boolean } {
  return {
    doctypes: manifest.doctypes.map((d) => d.doctype).filter((d) => d !== FILES),
    files: manifest.doctypes.some((d) => d.doctype === FILES),
  };
}

export function holderKitManifest(spec: KitConnectorSpec): ConnectorManifestInput {
  const origin = new URL(spec.api).origin;
  return {
    id: spec.id,
    name: spec.holder.name,
    version: spec.version ?? '1.0.0',
    ...(spec.description ? { description: spec.description } : {}),
    holder: spec.holder,
    api: spec.api,
    // Points of a series are only created; documents the holder changes are updated, so are files.
    doctypes: [
      ...spec.doctypes.map((d) => ({
        doctype: d.doctype,
        verbs: verbsFor(KIT_DOCTYPES[d.doctype]?.series === true),
        reason: d.reason,
      })),
      ...(spec.files ? [{ doctype: FILES, verbs: verbsFor(false), reason: spec.files }] : []),
    ],
    auth: {
      kind: 'oauth',
      ...(spec.discovered
        ? { discovery: DISCOVERY_PATH }
        : { authorizationUrl: `${origin}/oauth/authorize`, tokenUrl: `${origin}/oauth/token` }),
      clientId: spec.clientId ?? 'foyer',
      // Files are the holder's answer to the doctypes' scopes: no scope of their own.
      scopes: spec.doctypes.map((d) => d.doctype),
    },
    schedule: { frequency: 'daily', window: { start: '07:00', end: '23:00' } },
    hosts: [new URL(spec.api).host],
    limits: { timeSeconds: spec.timeSeconds ?? 300, memoryMb: 128, maxRecords: 1_000_000 },
    purpose: { code: 'data-collection', text: spec.purpose },
    retention: 'P1D',
  };
}
