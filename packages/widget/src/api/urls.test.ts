import { expect } from '@open-wc/testing';
import {
  challengeUrl,
  eventsUrl,
  messagesUrl,
  reactionsUrl,
  repliesPageUrl,
  repliesUrl,
  replyUrl,
  summariesUrl,
} from './requests.js';
import { topicUrl } from './urls.js';

const api = 'https://discuss.example.org';
const page = 'https://news.example.org/a b?x=1#top';
const encodedPage = 'https%3A%2F%2Fnews.example.org%2Fa%20b%3Fx%3D1%23top';

describe('API URLs', () => {
  it("put a topic id, a page topic's whole URL included, in one path segment", () => {
    expect(topicUrl(api, 'rsp-update')).to.equal(`${api}/api/v1/topics/rsp-update`);
    expect(topicUrl(api, page)).to.equal(`${api}/api/v1/topics/${encodedPage}`);
    expect(repliesUrl(api, page)).to.equal(`${api}/api/v1/topics/${encodedPage}/replies`);
    expect(eventsUrl(api, 'rsp-update', '42')).to.equal(`${api}/api/v1/topics/rsp-update/events?after=42`);
  });

  it('encode cursors, reply ids and languages', () => {
    expect(repliesPageUrl(api, 'rsp-update', 'a+b/c=')).to.equal(
      `${api}/api/v1/topics/rsp-update/replies?cursor=a%2Bb%2Fc%3D`,
    );
    expect(replyUrl(api, 'r/1')).to.equal(`${api}/api/v1/replies/r%2F1`);
    expect(messagesUrl(api, 'de')).to.equal(`${api}/api/v1/messages/de`);
    expect(messagesUrl(api, '../admin')).to.equal(`${api}/api/v1/messages/..%2Fadmin`);
  });

  it('send a reaction to the topic or to one reply', () => {
    expect(reactionsUrl(api, page, null)).to.equal(`${api}/api/v1/topics/${encodedPage}/reactions`);
    expect(reactionsUrl(api, page, 'r1')).to.equal(`${api}/api/v1/replies/r1/reactions`);
  });

  it('ask for a challenge, and for summaries with the ids comma-separated', () => {
    expect(challengeUrl(api)).to.equal(`${api}/api/v1/challenge`);
    expect(summariesUrl(api, ['a', page, 'c'])).to.equal(`${api}/api/v1/topics?ids=a,${encodedPage},c`);
  });
});
