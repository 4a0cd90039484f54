export const en = {
  loading: 'Loading…',
  retry: 'Try again',
  close: 'Close',
  cancel: 'Cancel',
  previous: 'Previous',
  next: 'Next',
  showing: 'Rows {from} to {to} of {total}',
  sortAscending: 'sorted ascending',
  sortDescending: 'sorted descending',
  noRows: 'No row matches.',
};
export const fr: typeof en = {
  loading: 'Chargement…',
  retry: 'Réessayer',
  close: 'Fermer',
  cancel: 'Annuler',
  previous: 'Précédent',
  next: 'Suivant',
  showing: 'Lignes {from} à {to} sur {total}',
  sortAscending: 'tri croissant',
  sortDescending: 'tri décroissant',
  noRows: 'Aucune ligne ne correspond.',
};
