export const en = {
  title: 'Home',
  comingSoon: 'This screen is being built.',
};
export const fr: typeof en = {
  title: 'Accueil',
  comingSoon: 'Cet écran est en construction.',
};
