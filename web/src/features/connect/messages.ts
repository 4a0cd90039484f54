export const en = {
  title: 'Connect and import',
  comingSoon: 'This screen is being built.',
};
export const fr: typeof en = {
  title: 'Connecter et importer',
  comingSoon: 'Cet écran est en construction.',
};
