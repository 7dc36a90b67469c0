/**
 * The English strings only the editor of one's own reply (with its Edit and Delete buttons)
 * and the report of a reply show: they are loaded with it, so the
 * script-tag core does not carry them. Every other language's catalog has them as usual, and
 * the served English catalog (catalogs.json) includes them.
 */
export const editMessages = {
  edit: 'Edit',
  delete: 'Delete',
  editing: 'Edit your reply',
  save: 'Save',
  confirmDelete: 'Delete this reply? This cannot be undone.',
  confirmReport: 'Report this reply to the moderators? They will review it.',
  reportReason: 'Reason (optional)',
  reported: 'Reported. Thank you: the moderators will review this reply.',
};
