/**
 * The console's case filters and search: street, community, category, department, grade, status,
 * channel, re-handled or not, and a search box (a case id opens it; words search titles and descriptions). Every
 * change reloads the list from GET /api/cases with the same names as its query.
 */
import { createSignal, For } from 'solid-js';
import { STATUSES } from '../../shared/domain/case.js';
import { CHANNEL_NAMES, CHANNELS } from '../../shared/domain/vocabulary.js';
import { STATUS_NAMES } from './case-panel.js';

const GRADES = [
  { code: 'red', name: '红' },
  { code: 'yellow', name: '黄' },
  { code: 'green', name: '绿' },
];

/** Cases re-handled by the department head after an unsatisfied return visit (一把手重办), or not. */
const REHANDLED = [
  { code: 'true', name: '一把手重办' },
  { code: 'false', name: '未重办' },
];

export interface CaseQuery {
  streetCode?: string;
  communityCode?: string;
  category?: string;
  department?: string;
  riskGrade?: string;
  status?: string;
  channel?: string;
  rehandled?: string;
  q?: string;
}

interface Named {
  code: string;
  name: string;
}

export function CaseFilters(props: {
  config: { taxonomy: { categories: Named[]; departments: Named[] }; jurisdiction: { streets: Named[]; communities: (Named & { streetCode: string })[] } } | null;
  onChange: (query: CaseQuery) => void;
  onOpen: (caseId: string) => void;
}) {
  const [query, setQuery] = createSignal<CaseQuery>({});
  const set = (key: keyof CaseQuery, value: string) => {
    const next = { ...query(), [key]: value || undefined };
    if (key === 'streetCode') next.communityCode = undefined;
    setQuery(next);
    props.onChange(next);
  };
  const select = (key: keyof CaseQuery, label: string, options: () => readonly Named[]) => (
    <label>
      {label}
      <select data-filter={key} onChange={(e) => set(key, e.currentTarget.value)}>
        <option value="">全部</option>
        <For each={options()}>{(o) => <option value={o.code}>{o.name}</option>}</For>
      </select>
    </label>
  );
  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()}>
      {select('streetCode', '街道', () => props.config?.jurisdiction.streets ?? [])}
      {select('communityCode', '社区', () => (props.config?.jurisdiction.communities ?? []).filter((c) => !query().streetCode || c.streetCode === query().streetCode))}
      {select('category', '类别', () => props.config?.taxonomy.categories ?? [])}
      {select('department', '部门', () => props.config?.taxonomy.departments ?? [])}
      {select('riskGrade', '等级', () => GRADES)}
      {select('status', '状态', () => STATUSES.map((code) => ({ code, name: STATUS_NAMES[code] })))}
      {select('channel', '渠道', () => CHANNELS.map((code) => ({ code, name: CHANNEL_NAMES[code].zh })))}
      {select('rehandled', '重办', () => REHANDLED)}
      <label class="search">
        搜索
        <input
          data-search
          placeholder="诉求编号或关键词"
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            const text = e.currentTarget.value.trim();
            if (/^GM\d{8}-\d+$/.test(text)) props.onOpen(text);
            set('q', text);
          }}
        />
      </label>
    </form>
  );
}
