export const en = {
  title: 'Apps',
  comingSoon: 'This screen is being built.',
};
export const fr: typeof en = {
  title: 'Applications',
  comingSoon: 'Cet écran est en construction.',
};
