export const en = {
  title: 'Access log',
  comingSoon: 'This screen is being built.',
};
export const fr: typeof en = {
  title: 'Journal des accès',
  comingSoon: 'Cet écran est en construction.',
};
