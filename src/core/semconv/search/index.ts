export { searchRegistry, SEARCH_TYPES } from './searchRegistry';
export type { SearchOptions, SearchOutput, SearchResult, SearchType } from './searchRegistry';
export { scoreMatch } from './scoring';
