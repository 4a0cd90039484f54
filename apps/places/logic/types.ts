/** The parts of the catalog doctypes the Places app reads (see catalog/doctypes/location.*). */

export interface LocationPoint {
  deviceId: string;
  /** UTC instant. */
  t: string;
  lat: number;
  lon: number;
  accuracyMetres?: number;
}

export interface LocationVisit {
  start: string;
  end: string;
  lat: number;
  lon: number;
  placeName?: string;
  placeCategory?: string;
  deviceId?: string;
}

export interface LatLon {
  lat: number;
  lon: number;
}
