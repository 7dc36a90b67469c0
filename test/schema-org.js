// A check of JSON-LD against what schema.org and Google Search's documentation of discussion
// forum structured data ask of it: for DiscussionForumPosting and each Comment, the required
// author (a Person or Organization with a name), datePublished (ISO 8601 with a time zone) and
// text (or image or video); the recommended url, headline (the posting), comment, commentCount
// and interactionStatistic; and for each InteractionCounter an interactionType that is a
// schema.org Action and a whole-number userInteractionCount. Returns the problems found.

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** The schema.org actions an interaction counter may count (subtypes of Action used for reactions). */
const ACTIONS = new Set(
  [
    'LikeAction',
    'DislikeAction',
    'AgreeAction',
    'DisagreeAction',
    'EndorseAction',
    'CommentAction',
    'ShareAction',
    'WriteAction',
    'ReactAction',
  ].map((name) => `https://schema.org/${name}`),
);

const isWhole = (n) => Number.isInteger(n) && n >= 0;
const present = (value) => typeof value === 'string' && value.trim() !== '';

function checkCounters(node, where, problems, { required }) {
  const counters = node.interactionStatistic;
  if (counters === undefined) {
    if (required) problems.push(`${where}: interactionStatistic is recommended`);
    return;
  }
  for (const [i, counter] of [counters].flat().entries()) {
    const at = `${where}.interactionStatistic[${i}]`;
    if (counter?.['@type'] !== 'InteractionCounter') problems.push(`${at}: @type must be InteractionCounter`);
    if (!ACTIONS.has(counter?.interactionType))
      problems.push(`${at}: interactionType must be a schema.org Action`);
    if (!isWhole(counter?.userInteractionCount))
      problems.push(`${at}: userInteractionCount must be a whole number`);
  }
}

/** What Google requires of a posting and of a comment alike. */
function checkWork(node, where, problems) {
  const author = node.author;
  if (!author) problems.push(`${where}: author is required`);
  else {
    for (const [i, one] of [author].flat().entries()) {
      if (!['Person', 'Organization'].includes(one?.['@type']))
        problems.push(`${where}.author[${i}]: @type must be Person or Organization`);
      if (!present(one?.name)) problems.push(`${where}.author[${i}]: name is required`);
    }
  }
  if (!ISO_8601.test(node.datePublished ?? ''))
    problems.push(`${where}: datePublished must be ISO 8601 with a time zone`);
  if (node.dateModified !== undefined && !ISO_8601.test(node.dateModified))
    problems.push(`${where}: dateModified must be ISO 8601 with a time zone`);
  if (!present(node.text) && !node.image && !node.video)
    problems.push(`${where}: text (or image or video) is required`);
}

function checkComment(node, where, problems) {
  if (node?.['@type'] !== 'Comment') {
    problems.push(`${where}: @type must be Comment`);
    return 0;
  }
  checkWork(node, where, problems);
  checkCounters(node, where, problems, { required: false });
  let count = 1;
  for (const [i, child] of [node.comment ?? []].flat().entries())
    count += checkComment(child, `${where}.comment[${i}]`, problems);
  return count;
}

/** The problems of a DiscussionForumPosting JSON-LD document; empty when it passes. */
export function discussionForumPostingProblems(doc) {
  const problems = [];
  if (doc?.['@context'] !== 'https://schema.org') problems.push('@context must be https://schema.org');
  if (doc?.['@type'] !== 'DiscussionForumPosting') problems.push('@type must be DiscussionForumPosting');
  checkWork(doc ?? {}, 'posting', problems);
  for (const field of ['url', 'headline'])
    if (!present(doc?.[field])) problems.push(`posting: ${field} is recommended`);
  if (doc?.url !== undefined && !URL.canParse(doc.url)) problems.push('posting: url must be an absolute URL');
  if (!isWhole(doc?.commentCount)) problems.push('posting: commentCount must be a whole number');
  checkCounters(doc ?? {}, 'posting', problems, { required: true });
  if (!Array.isArray(doc?.comment)) problems.push('posting: comment is recommended (a list of Comment)');
  else {
    let shown = 0;
    for (const [i, comment] of doc.comment.entries())
      shown += checkComment(comment, `posting.comment[${i}]`, problems);
    if (isWhole(doc.commentCount) && shown > doc.commentCount)
      problems.push(`posting: ${shown} comments but commentCount ${doc.commentCount}`);
  }
  return problems;
}
