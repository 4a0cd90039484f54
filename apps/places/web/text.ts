import type { Dict } from '../../shared/web/i18n.js';

type Key =
  | 'title'
  | 'loading'
  | 'error'
  | 'map'
  | 'mapLabel'
  | 'viewHome'
  | 'viewAll'
  | 'places'
  | 'placesNote'
  | 'rank'
  | 'place'
  | 'hours'
  | 'visits'
  | 'home'
  | 'placeN'
  | 'near'
  | 'trips'
  | 'tripsChart'
  | 'tripsNote'
  | 'perWeekday'
  | 'noData'
  | 'tiles'
  | 'tilesNote'
  | 'tileUrl'
  | 'save'
  | 'clear'
  | 'saved'
  | 'summaryPoints'
  | 'summaryPlaces'
  | 'summaryTrips'
  | 'basemapCredit';

export const text: Dict<Key> = {
  en: {
    title: 'Places',
    loading: 'Reading your location history…',
    error: 'The location history could not be read.',
    map: 'Map',
    mapLabel: 'Map of the places in your location history',
    viewHome: 'Around home',
    viewAll: 'Everywhere',
    places: 'Most frequented places',
    placesNote: 'Ranked by the time spent there (two phones in the same place count the time once).',
    rank: '#',
    place: 'Place',
    hours: 'Hours',
    visits: 'Visits',
    home: 'Home',
    placeN: 'Place',
    near: 'near',
    trips: 'Trips per day',
    tripsChart: 'Trips per day over the last 60 days',
    tripsNote: 'A trip is a move from one place to another, counted on the day of arrival, every phone added up.',
    perWeekday: 'Average per weekday',
    noData: 'No location history yet: connect your mobile operator or import a Google Takeout file.',
    tiles: 'Map background',
    tilesNote:
      'The map is drawn from an outline of France bundled with the app: nothing leaves your space. You may give a tile server (https://…/{z}/{x}/{y}.png); Foyer shows it only if its operator allows that host.',
    tileUrl: 'Tile URL template',
    save: 'Save',
    clear: 'Use the bundled map',
    saved: 'Saved.',
    summaryPoints: 'location points',
    summaryPlaces: 'places',
    summaryTrips: 'trips a day on average',
    basemapCredit: 'Bundled outline of France drawn for Foyer (simplified).',
  },
  fr: {
    title: 'Lieux',
    loading: 'Lecture de votre historique de localisation…',
    error: 'L’historique de localisation n’a pas pu être lu.',
    map: 'Carte',
    mapLabel: 'Carte des lieux de votre historique de localisation',
    viewHome: 'Autour du domicile',
    viewAll: 'Partout',
    places: 'Lieux les plus fréquentés',
    placesNote: 'Classés selon le temps passé (deux téléphones au même endroit ne comptent ce temps qu’une fois).',
    rank: 'n°',
    place: 'Lieu',
    hours: 'Heures',
    visits: 'Visites',
    home: 'Domicile',
    placeN: 'Lieu',
    near: 'près de',
    trips: 'Déplacements par jour',
    tripsChart: 'Déplacements par jour sur les 60 derniers jours',
    tripsNote:
      'Un déplacement est un passage d’un lieu à un autre, compté le jour de l’arrivée, tous téléphones confondus.',
    perWeekday: 'Moyenne par jour de la semaine',
    noData: 'Pas encore d’historique : connectez votre opérateur mobile ou importez un fichier Google Takeout.',
    tiles: 'Fond de carte',
    tilesNote:
      'La carte est dessinée à partir d’un contour de la France fourni avec l’application : rien ne sort de votre espace. Vous pouvez indiquer un serveur de tuiles (https://…/{z}/{x}/{y}.png) ; Foyer ne l’affiche que si son opérateur autorise cet hôte.',
    tileUrl: 'Modèle d’URL des tuiles',
    save: 'Enregistrer',
    clear: 'Utiliser la carte intégrée',
    saved: 'Enregistré.',
    summaryPoints: 'points de localisation',
    summaryPlaces: 'lieux',
    summaryTrips: 'déplacements par jour en moyenne',
    basemapCredit: 'Contour simplifié de la France dessiné pour Foyer.',
  },
};
