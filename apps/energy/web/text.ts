import type { Dict } from '../../shared/web/i18n.js';

type Key =
  | 'title'
  | 'loading'
  | 'error'
  | 'electricity'
  | 'gas'
  | 'byMonth'
  | 'byDay'
  | 'bySeason'
  | 'consumption'
  | 'chartMonths'
  | 'chartDays'
  | 'season'
  | 'kwh'
  | 'days'
  | 'perDay'
  | 'winter'
  | 'spring'
  | 'summer'
  | 'autumn'
  | 'lastYear'
  | 'month'
  | 'thisYear'
  | 'yearBefore'
  | 'change'
  | 'incomplete'
  | 'hours'
  | 'hoursNote'
  | 'hoursChart'
  | 'topHours'
  | 'bills'
  | 'billsNote'
  | 'period'
  | 'billedKwh'
  | 'meteredKwh'
  | 'billedAmount'
  | 'expectedAmount'
  | 'paid'
  | 'status'
  | 'ok'
  | 'gap_kwh'
  | 'gap_amount'
  | 'gap_missing_readings'
  | 'gap_unpaid'
  | 'noData'
  | 'summaryBills'
  | 'summaryGaps'
  | 'summaryYear'
  | 'splitNote';

export const text: Dict<Key> = {
  en: {
    title: 'Energy',
    loading: 'Reading your energy data…',
    error: 'The energy data could not be read.',
    electricity: 'Electricity',
    gas: 'Gas',
    byMonth: 'By month',
    byDay: 'By day (90 days)',
    bySeason: 'By season',
    consumption: 'Consumption',
    chartMonths: 'Consumption per month, in kWh',
    chartDays: 'Consumption per day over the last 90 days, in kWh',
    season: 'Season',
    kwh: 'kWh',
    days: 'Days measured',
    perDay: 'kWh a day',
    winter: 'winter',
    spring: 'spring',
    summer: 'summer',
    autumn: 'autumn',
    lastYear: 'Compared with the same period last year',
    month: 'Month',
    thisYear: 'This year (kWh)',
    yearBefore: 'A year before (kWh)',
    change: 'Change',
    incomplete: 'incomplete',
    hours: 'The hours that weigh most',
    hoursNote:
      'Share of the electricity used at each hour of the day, from the meter’s half-hour readings of the last 90 days.',
    hoursChart: 'Electricity per hour of the day, in kWh',
    topHours: 'Heaviest hours',
    bills: 'Bills checked against the meter',
    billsNote:
      'Each bill’s kWh and energy amount beside what the meter counted over its period, priced at your contract’s prices, and the bank debit that paid it.',
    period: 'Period',
    billedKwh: 'Billed kWh',
    meteredKwh: 'Metered kWh',
    billedAmount: 'Billed energy',
    expectedAmount: 'Meter × price',
    paid: 'Debited',
    status: 'Check',
    ok: 'matches',
    gap_kwh: 'kWh differ',
    gap_amount: 'amount differs',
    gap_missing_readings: 'readings missing',
    gap_unpaid: 'no debit found',
    noData: 'No data yet: connect your energy supplier or import a file.',
    summaryBills: 'bills checked',
    summaryGaps: 'with a difference',
    summaryYear: 'kWh over the last 12 months',
    splitNote:
      'Your meter readings give no peak / off-peak split: the metered kWh are priced with each bill’s own split, so the total and the prices are checked, not the split.',
  },
  fr: {
    title: 'Énergie',
    loading: 'Lecture de vos données d’énergie…',
    error: 'Les données d’énergie n’ont pas pu être lues.',
    electricity: 'Électricité',
    gas: 'Gaz',
    byMonth: 'Par mois',
    byDay: 'Par jour (90 jours)',
    bySeason: 'Par saison',
    consumption: 'Consommation',
    chartMonths: 'Consommation par mois, en kWh',
    chartDays: 'Consommation par jour sur les 90 derniers jours, en kWh',
    season: 'Saison',
    kwh: 'kWh',
    days: 'Jours mesurés',
    perDay: 'kWh par jour',
    winter: 'hiver',
    spring: 'printemps',
    summer: 'été',
    autumn: 'automne',
    lastYear: 'Comparaison avec la même période l’an dernier',
    month: 'Mois',
    thisYear: 'Cette année (kWh)',
    yearBefore: 'Un an avant (kWh)',
    change: 'Évolution',
    incomplete: 'incomplet',
    hours: 'Les heures qui pèsent le plus',
    hoursNote:
      'Part de l’électricité consommée à chaque heure de la journée, d’après les relevés à la demi-heure du compteur sur les 90 derniers jours.',
    hoursChart: 'Électricité par heure de la journée, en kWh',
    topHours: 'Heures les plus lourdes',
    bills: 'Factures rapprochées du compteur',
    billsNote:
      'Pour chaque facture, les kWh et le montant de l’énergie facturés, à côté de ce que le compteur a mesuré sur la période, au prix de votre contrat, et le prélèvement qui l’a payée.',
    period: 'Période',
    billedKwh: 'kWh facturés',
    meteredKwh: 'kWh mesurés',
    billedAmount: 'Énergie facturée',
    expectedAmount: 'Compteur × prix',
    paid: 'Prélevée',
    status: 'Contrôle',
    ok: 'conforme',
    gap_kwh: 'kWh différents',
    gap_amount: 'montant différent',
    gap_missing_readings: 'relevés manquants',
    gap_unpaid: 'prélèvement introuvable',
    noData: 'Pas encore de données : connectez votre fournisseur d’énergie ou importez un fichier.',
    summaryBills: 'factures contrôlées',
    summaryGaps: 'avec un écart',
    summaryYear: 'kWh sur les 12 derniers mois',
    splitNote:
      'Vos relevés ne distinguent pas heures pleines et heures creuses : les kWh mesurés sont valorisés avec la répartition de chaque facture ; le total et les prix sont contrôlés, pas la répartition.',
  },
};
