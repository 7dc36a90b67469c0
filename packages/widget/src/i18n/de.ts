import type { Messages } from './messages.js';

/**
 * German. Served by the Colloquy server (`GET /api/v1/messages/de`) to the elements that need
 * it, so the script-tag bundle carries English only and another language costs its readers
 * one small cached read instead of costing every reader its bytes.
 */
export const de: Messages = {
  category: 'Kategorie',
  reactions: 'Reaktionen',
  like: 'Gefällt mir',
  insightful: 'Aufschlussreich',
  disagree: 'Widerspruch',
  replies: 'Antworten (#)',
  noReplies: 'Zu diesem Thema gibt es noch keine Antworten.',
  sources: 'Quellen',
  loading: 'Wird geladen…',
  loadFailed: 'Die Diskussion konnte nicht geladen werden.',
  network: 'Der Diskussionsserver ist nicht erreichbar. Prüfen Sie Ihre Verbindung.',
  failed: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  retry: 'Erneut versuchen',
  newReplies: 'Neue Antworten (#)',
  loadMore: 'Mehr laden',
  reply: 'Antworten',
  replyTo: 'Antwort an #',
  inReplyTo: 'als Antwort auf #',
  cancel: 'Abbrechen',
  name: 'Name',
  text: 'Antwort',
  post: 'Antwort senden',
  sending: 'Wird gesendet…',
  locked: 'Dieses Thema ist geschlossen.',
  awaitingReview: 'Wartet auf Prüfung',
  deleted: 'Entfernt.',
  signedIn: 'Angemeldet',
  moreInThread: 'Weitere Antworten anzeigen (#)',
  sort: 'Sortierung',
  oldest: 'Älteste zuerst',
  newest: 'Neueste zuerst',
  top: 'Meiste Reaktionen',
  edit: 'Bearbeiten',
  delete: 'Löschen',
  editing: 'Antwort bearbeiten',
  save: 'Speichern',
  confirmDelete: 'Diese Antwort löschen? Das lässt sich nicht rückgängig machen.',
  posted: 'Ihre Antwort wurde veröffentlicht.',
};
