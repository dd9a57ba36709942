/**
 * Masking of personal data for walls and public reads (张*, 138****5678). The server applies it
 * before anything leaves for a reader without the right to see it; the client never unmasks.
 */

/** Keeps the family name (the first character) and hides the rest: 张三丰 → 张**. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Keeps the first three and last four digits of a mobile number (13812345678 → 138****5678), two and two of any other. */
export function maskPhone(phone: string): string {
  const all = phone.replace(/\D/g, '');
  const digits = all.length === 13 && all.startsWith('86') ? all.slice(2) : all; // drop China's +86
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}****${digits.slice(-2)}`;
  return '*'.repeat(digits.length || 3);
}

/**
 * Cuts an address back to its road or community: everything from the first house number on goes.
 * 光明区华夏路12号3栋402 → 光明区华夏路…
 */
export function maskAddress(address: string): string {
  const cut = address.search(/[0-9０-９#]/);
  if (cut < 0) return address;
  return `${address.slice(0, cut).trimEnd()}…`;
}

/**
 * Full-width digits, letters and the signs numbers are written with (１３８－１２３４…, ＠) as
 * their ASCII twins, one UTF-16 unit for one, so a match in the result has the same offsets in
 * the text as written. (NFKC would do more, but it changes lengths and the text's punctuation.)
 */
function asciiTwins(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const keepEnds = (value: string, head: number, tail: number) => {
  const chars = [...value];
  return chars.slice(0, head).join('') + '*'.repeat(Math.max(1, chars.length - head - tail)) + chars.slice(chars.length - tail).join('');
};
const starDigits = (value: string) => value.replace(/[0-9零〇一二三四五六七八九十百两]/g, '*');

const CN_NUMERAL = /^[零〇一二三四五六七八九十百两]+$/;
/**
 * Whether a numeral and its word count things rather than name a door: 两栋楼之间, 一栋民房,
 * 一栋七层出租楼, 加建五层楼房. Digits always name a door, as do 号, 巷, 单元 and 室; a building
 * in Chinese numerals does when a number or 号 stands next to it (十二号三栋, 三栋402), a floor
 * unless a building follows (七楼 is a home, 七层楼房 a size).
 */
function isCount(found: string, text: string, at: number): boolean {
  const numeral = found.replace(/-?(?:号|巷|栋|幢|座|单元|室|楼|层)$/, '');
  if (!CN_NUMERAL.test(numeral)) return false;
  if (numeral.startsWith('两')) return true;
  const word = found.slice(numeral.length);
  const after = text.slice(at + found.length);
  if (word === '楼' || word === '层') return /^(?:楼|出租|高|建筑|民房|房|铁皮|厂房|板房)/.test(after) || /(?:加建|加盖|建了|盖了)$/.test(text.slice(0, at));
  if (word === '栋' || word === '幢' || word === '座') {
    if (/^[零〇一二三四五六七八九十百]+层|^楼/.test(after)) return true; // 一栋七层出租楼, 三栋楼之间
    const numbered = /^[0-9零〇一二三四五六七八九十百]|^单元|^室/.test(after);
    if (numeral === '一') return !numbered && !/[号巷]$/.test(text.slice(0, at)); // 一栋民房 is one house
    return !/[号巷路区园苑城府村]$/.test(text.slice(0, at)) && !numbered;
  }
  return false;
}

/** What personal data in free text looks like, found in the ASCII-twin form; each with its mask (and when a look-alike is not). */
const DETECTORS: { pattern: RegExp; mask: (found: string) => string; unless?: (found: string, text: string, at: number) => boolean }[] = [
  // ID cards: 18 digits (the last may be X) with a real date, and the old 15-digit form.
  { pattern: /(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g, mask: (id) => keepEnds(id, 3, 4) },
  { pattern: /(?<![0-9A-Za-z])\d{8}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])/g, mask: (id) => keepEnds(id, 3, 3) },
  // E-mail addresses: the first character of the name and the domain stay.
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, mask: (mail) => `${mail[0]}***${mail.slice(mail.indexOf('@'))}` },
  // Mobiles, with +86 and spaces or dashes anywhere.
  { pattern: /(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[- ]?[3-9](?:[- ]?\d){9}(?![0-9A-Za-z])/g, mask: (phone) => maskPhone(phone) },
  // Landlines with an area code, and 7–8-digit local numbers (never part of a code or an id).
  { pattern: /(?<![0-9A-Za-z])0\d{2,3}[- ]?[2-9](?:[- ]?\d){6,7}(?![0-9A-Za-z])/g, mask: (phone) => maskPhone(phone) },
  { pattern: /(?<![0-9A-Za-z.\-_/])[2-9]\d{6,7}(?![0-9A-Za-z.\-_/])/g, mask: (phone) => maskPhone(phone) },
  // A local number written in two groups, where the text says it is a phone: 座机2741 6690.
  { pattern: /(?<=(?:电话|座机|固话|号码|手机|致电|拨打)[:：]?\s?)[2-9]\d{2,3}[- ]\d{4}(?![0-9])/g, mask: (phone) => maskPhone(phone) },
  // Plates: a province, a letter, five or six letters and digits (粤B·12345 → 粤B·*****).
  { pattern: /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·. ]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])/g, mask: (plate) => plate.slice(0, 2) + (/[·. ]/.test(plate[2]!) ? plate[2] : '') + '*'.repeat(plate.replace(/[·. ]/, '').length - 2) },
  // House numbers, lanes, buildings, units, rooms, floors: the number goes, the word stays
  // (华夏路十二号三栋402 → 华夏路**号*栋***); a metro line (3号线) is a place, not a home, and a
  // count in Chinese numerals is no address (see isCount).
  { pattern: /[0-9零〇一二三四五六七八九十百两]+-?(?:号(?!线)|巷|栋|幢|座|单元|室|楼|层)/g, mask: starDigits, unless: isCount },
  { pattern: /(?<=号-?)[0-9]{3,4}(?![0-9号])/g, mask: starDigits },
  // A bare room number where a text says whose door it is: 我住602, 楼上是1801, 我家2402, 301房.
  { pattern: /(?<=(?:住|楼上|楼下|我家|隔壁|对门|对面|我是|楼上是|楼下是)(?:在|是)?)[0-9]{3,4}(?![0-9])/g, mask: starDigits },
  { pattern: /(?<![0-9])[0-9]{3,4}(?=房(?![租东价产子屋源])|的(?:住户|业主|租客|狗|排水管|家|门))/g, mask: starDigits },
  // A flat named by its estate and number (锦鸿雅苑502), one rented (我租的305), in English (Room 2507, I live in 2407).
  { pattern: /(?<=(?:苑|园|城|庭|府|居|公寓|大厦|租的)|\bRoom |\blive in )[0-9]{3,4}(?![0-9])/g, mask: starDigits },
  // A household by its door number (1203户); a count of households (12户居民) stays.
  { pattern: /(?<![0-9])[0-9]{3,5}户/g, mask: starDigits },
  { pattern: /(?<=(?:栋|幢|座|单元|号楼)-?)[0-9]{2,5}(?![0-9])/g, mask: starDigits },
];

/** Family names, the compound ones first (a name is a family name and one or two more characters). */
const FAMILY_NAMES = [
  ...'欧阳 司马 上官 诸葛 东方 慕容 司徒 夏侯 尉迟 公孙 令狐 皇甫 长孙 宇文 独孤 端木 西门 南宫'.split(' '),
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤阳时穆农司卓古吉缪简项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟臧闵苟邬卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝赖储奚官洪钮'.split(''),
];
/** Characters that are not a given name's: they end a name or show the word is no name at all. */
const NOT_GIVEN = new Set(
  ('工方业区部门路街道村镇园城苑府湾湖桥楼店厂司院校所局站场馆心队会办委号栋层室户们人员者主式面间边头里内外前后处地点时年月日元块个位次件种样些的了着过和与及或并但而且就都也还又再才只已曾将要会能可应该需须得被把让给对向从在于以为因其这那此各每某本全多少等说称反映发约到拒未没无签拖欠索退装养停堆放晾开关来去住租买卖搭今昨早晚夜诉投打做接回带帮请协沟商见通电联同表认讲叫占乱私是经先女师老物施政网格社居民市区漏吵闹噪扰破损坏修违偷骂拆挖烧排堵扔丢倒晒挂遛喂抽吸喝唱敲砸踩拉推挡拦围闯骚纠争冲矛调解目晨午宵一体态代加押收交扣拿领觉感决听看想知问答骗辆孩劳动释留不邮坡急' +
    '，。、；：？！,.;:?!()（）「」“”" 0123456789*').split(''),
);
/** Characters that may begin a two-character given name (罗家豪, 何小军, 夏天明) but never end one (李四家, 张三小区). */
const FIRST_ONLY = new Set('家小天中山上下大阿'.split(''));
/** Words that introduce a person by name: 邻居李四, 联系王建国, 与张三丰, 业主周晓明. */
const NAME_INTRODUCERS = [
  '邻居', '联系', '联系人', '致电', '告知', '业主', '租户', '租客', '房东', '房客', '住户', '市民', '居民', '投诉人', '反映人', '来电人',
  '当事人', '申请人', '被投诉人', '网格员', '工作人员', '负责人', '老板', '店主', '姓名', '名叫', '叫', '找', '员工', '工友', '儿子',
  '女儿', '丈夫', '妻子', '老人', '司机', '保安', '包工头', '与', '和', '同', '及', '经理', '管家', '老师', '医生', '店员', '教练',
  '班组长', '主任', '养犬人', '报修人', '车主', '房主', '患者', '消费者', '老公', '老婆', '母亲', '父亲', '代表', '家长', '民警', '律师',
  '客服', '职工', '学员', '学生', '师傅', '同事', '租房人', '购房人', '户主', '举报人', '求助人', '报案人', '摊主',
];
/**
 * Words that end a person's role, or a verb that hands something to a person, right before a
 * name: 承办人：马骏, 回访人, 调解员欧志勤, 楼栋长, 人事主管, 工头, 物业的肖敏, 交给杨国辉.
 */
const ROLE_BEFORE_NAME = /(?:人|员|长|主管|工头|物业的|社区的|工作站|司法所|同住|那个|交给|告诉|找了|通知|约谈)[：:]?/gu;
/** Titles after a name: 李红梅女士, 王建国师傅. */
const HONORIFICS = ['先生', '女士', '小姐', '师傅', '阿姨', '老师', '大爷', '大妈', '奶奶', '爷爷', '伯伯', '叔叔', '经理', '医生', '同学', '主任', '律师', '老板'];
/** What may stand right before a name that a title follows: the text's start, a sign, or an introducer. */
const NAME_BOUNDARY = /^$|[\s，。、；：？！,.;:?!（）()「」“”"]$/;

/**
 * Characters common in given names (from general knowledge of Chinese naming, not from any
 * corpus): a family name followed by two of them reads as a person even without a word that
 * introduces one (…交了押金给王建国, 陈晓东说…).
 */
const GIVEN_NAME_CHARS = new Set(
  ('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅琳燕鹏辉斌宇浩凯健俊帆帅旭宁欣佳怡婷雪慧颖倩琴云莉莹晶婧妍茜蕾薇璐瑶瑾嘉晨阳博志国建海波峰亮飞鑫晓永春秋冬丹凤庆福贵荣祥德才金银宝亚振忠义礼智信仁康泰顺喜乐' +
    '松柏青翠彩月星晴露霖雨思诗雅琪琦瑞璇菲萱涵悦彤妮娇媚美贤淑惠珍珠碧蓉蓓蕊楠樱莲菊荷芝芬芸茹香馨韵洁清泉源湘润淼森桦梓楷棋树柱根勤俭孝廉耀炜烨焱煜昊晟昕暄曦昭晖景睿哲轩宸铭锋锐钢钧鸿鹤鸣彬彪虎豹雄鹰威豪逸翔腾跃奇群卓越达远久恒毅坚宏瀚广洪川岭岩兵武文斯珊琼瑛璐娥凤霞萍艳莺爱嫣媛婉娴婕琬婵').split(''),
);

/** A name is never followed by a place's last character or word: 与华夏路 is a road, 田寮大厦 a building. */
const PLACE_ENDS = new Set('路街道村镇园城苑府湾山湖桥店厂司院校所局站场馆区'.split(''));
const PLACE_WORDS = /^(?:大厦|大道|大街|大桥|市场|学校|花园|小区|小学|中学|公寓|社区|广场|医院|公司|新村|工业|物流|科技|电子|实业|集团|有限|股份|商贸|贸易|超市|酒店|餐厅|饭店|幼儿园|派出所|物业|中心)/;

const isCjk = (ch: string | undefined) => ch !== undefined && /^\p{Script=Han}$/u.test(ch);
const isGiven = (ch: string | undefined) => isCjk(ch) && !NOT_GIVEN.has(ch!);
const endsGiven = (ch: string | undefined) => isGiven(ch) && !FIRST_ONLY.has(ch!);
const familyAt = (text: string, at: number) => FAMILY_NAMES.find((family) => text.startsWith(family, at));
/** Whether `chars` can be a whole given name. */
const givenChars = (chars: string) => [...chars].every(isGiven) && endsGiven(chars.at(-1));
/** A given name of one or two characters from `at`; the second only when it does not start the next word. */
function givenLength(text: string, at: number): number {
  if (HONORIFICS.some((title) => text.startsWith(title, at))) return 0; // 刘阿姨: a family name alone
  const titled = HONORIFICS.some((title) => text.startsWith(title, at + 1));
  if (isGiven(text[at]) && endsGiven(text[at + 1]) && !titled) return 2;
  return endsGiven(text[at]) ? 1 : 0;
}

/** Personal names introduced the usual ways (邻居李四, 联系王建国, 李红梅女士): their spans in `text`. */
function findNames(text: string): { start: number; end: number; family: number }[] {
  const names: { start: number; end: number; family: number }[] = [];
  const add = (start: number, family: number, given: number) => {
    if (PLACE_ENDS.has(text[start + family + given] ?? '') || PLACE_WORDS.test(text.slice(start + family + given))) return;
    if (given > 0 && !names.some((n) => start < n.end && start + family + given > n.start)) names.push({ start, end: start + family + given, family });
  };
  /** A name that ends at `end` and starts the text or follows a sign. */
  const nameBefore = (end: number) => {
    for (const length of [4, 3, 2]) {
      const start = end - length;
      const family = start >= 0 ? familyAt(text, start) : undefined;
      if (!family || family.length >= length || length - family.length > 2) continue;
      if (!NAME_BOUNDARY.test(text.slice(0, start)) || !givenChars(text.slice(start + family.length, end))) continue;
      add(start, family.length, length - family.length);
      return;
    }
  };
  /** A name introduced at `start`, and the list it begins (蒋明、卢秀英; 金志文和方晓东); its length or 0. */
  const introduced = (start: number): number => {
    const family = familyAt(text, start);
    if (!family) return 0;
    const given = givenLength(text, start + family.length);
    if (given === 0) return 0;
    add(start, family.length, given);
    for (let end = start + family.length + given; text[end] === '、' || text[end] === '和'; ) {
      const next = familyAt(text, end + 1);
      const more = next ? givenLength(text, end + 1 + next.length) : 0;
      if (!next || more === 0) break;
      add(end + 1, next.length, more);
      end = end + 1 + next.length + more;
    }
    return family.length + given;
  };
  for (const word of NAME_INTRODUCERS) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      const start = at + word.length + (text[at + word.length] === '：' || text[at + word.length] === ':' ? 1 : 0);
      if (NAME_INTRODUCERS.some((other) => text.startsWith(other, start))) continue; // 联系房东邱振华: 房东 introduces
      // 张三丰与李四: the name before a joining word is a person too.
      if (introduced(start) > 0 && word.length === 1) nameBefore(at);
    }
  }
  // A person's role or a verb of handing over, then the name: 承办人：马骏, 调解员欧志勤, 楼栋长, 交给杨国辉.
  for (const match of text.matchAll(ROLE_BEFORE_NAME)) introduced(match.index! + match[0].length);
  // Names listed at the start of a sentence: 罗建军、江海燕工伤赔偿争议.
  for (const match of text.matchAll(/(?<=^|[，。；：:\s])(?=\p{Script=Han}{2,4}[、和])/gu)) {
    const start = match.index!;
    const family = familyAt(text, start);
    const given = family ? givenLength(text, start + family.length) : 0;
    const end = start + (family?.length ?? 0) + given;
    if (given > 0 && (text[end] === '、' || text[end] === '和') && familyAt(text, end + 1) && givenLength(text, end + 1 + familyAt(text, end + 1)!.length) > 0) introduced(start);
  }
  for (const title of HONORIFICS) {
    for (let at = text.indexOf(title); at >= 0; at = text.indexOf(title, at + 1)) {
      for (const length of [4, 3, 2]) {
        const start = at - length;
        if (start < 0) continue;
        const family = familyAt(text, start);
        if (!family || family.length >= length) continue;
        const before = text.slice(0, start);
        const introduced = NAME_BOUNDARY.test(before) || NAME_INTRODUCERS.some((word) => before.endsWith(word));
        const given = length - family.length;
        if (!introduced || given > 2 || !givenChars(text.slice(start + family.length, at))) continue;
        add(start, family.length, given);
        break;
      }
    }
  }
  // A family name and two common given-name characters, anywhere a place does not follow: 王建国, 陈晓东.
  for (const family of FAMILY_NAMES) {
    for (let at = text.indexOf(family); at >= 0; at = text.indexOf(family, at + 1)) {
      const first = text[at + family.length];
      const second = text[at + family.length + 1];
      if (first && second && GIVEN_NAME_CHARS.has(first) && GIVEN_NAME_CHARS.has(second) && !FAMILY_NAMES.includes(text[at - 1] ?? '')) add(at, family.length, 2);
    }
  }
  // A name alone between signs, right before a number (熊春花，135****6673), or among Latin words (my landlord 邱建明 refuses).
  for (const match of text.matchAll(/(?<=^|[，。；、：:｜|\s,;])(\p{Script=Han}{2,4})(?=[，：,:\s（(]?[0-9(+（])|(?<=[A-Za-z,.] )(\p{Script=Han}{2,3})(?=[ ,.!?)]|$)/gu)) {
    const found = match[1] ?? match[2]!;
    const start = match.index!;
    const family = familyAt(text, start);
    if (family && found.length - family.length <= 2 && givenChars(text.slice(start + family.length, start + found.length))) {
      add(start, family.length, found.length - family.length);
    }
  }
  return names;
}

/**
 * Masks personal data inside free text (descriptions, titles, notes, alert texts) for readers
 * without the right to see it: ID-card numbers (18 and 15 digits), e-mail addresses, mobile and
 * landline numbers in any digit form, plate numbers, house numbers and rooms in digits or Chinese
 * numerals, personal names introduced the usual ways (邻居李四 → 邻居李*, 李红梅女士 → 李**女士,
 * and the same name wherever the text repeats it), and the case's own reporter name and address.
 * A family name alone (王先生, 陈师傅) is already anonymous and stays. Roads, communities,
 * companies and schools stay readable, so a wall still says where the problem is.
 */
export function maskFreeText(text: string, known: { name?: string | null; address?: string | null } = {}): string {
  let masked = text;
  const address = known.address?.trim();
  if (address && address.length >= 2) masked = masked.replaceAll(address, maskAddress(address));
  const name = known.name?.trim();
  if (name && [...name].length >= 2) masked = masked.replaceAll(name, maskName(name));
  const probe = asciiTwins(masked);
  const spans: { start: number; end: number; replacement: string }[] = [];
  const claim = (start: number, end: number, replacement: string) => {
    if (spans.some((s) => start < s.end && end > s.start)) return; // an earlier detector has it
    spans.push({ start, end, replacement });
  };
  for (const { pattern, mask, unless } of DETECTORS) {
    for (const match of probe.matchAll(pattern)) {
      if (!unless?.(match[0], probe, match.index!)) claim(match.index!, match.index! + match[0].length, mask(match[0]));
    }
  }
  for (const found of findNames(probe)) {
    const full = probe.slice(found.start, found.end);
    const replacement = full.slice(0, found.family) + '*'.repeat(found.end - found.start - found.family);
    for (let at = probe.indexOf(full); at >= 0; at = probe.indexOf(full, at + full.length)) claim(at, at + full.length, replacement);
  }
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += masked.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  return out + masked.slice(at);
}
