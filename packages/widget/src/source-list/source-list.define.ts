import { defineElement } from '../internal/define.js';
import { SourceList } from './source-list.js';

export { SourceList };

defineElement('source-list', SourceList);

declare global {
  interface HTMLElementTagNameMap {
    'source-list': SourceList;
  }
}
