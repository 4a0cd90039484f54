export const en = {
  title: 'Consents',
  comingSoon: 'This screen is being built.',
};
export const fr: typeof en = {
  title: 'Consentements',
  comingSoon: 'Cet écran est en construction.',
};
