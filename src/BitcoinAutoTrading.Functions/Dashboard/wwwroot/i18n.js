// Labels in English and Korean. The default follows the browser; the choice is remembered.
const LABELS = {
  en: {
    title: 'BitcoinAutoTrading', refresh: 'Refresh', forgetKey: 'Forget key', keyTitle: 'Function key',
    keyHelp: 'Enter a function key of this app. It stays in this browser and is sent as x-functions-key.',
    keyLabel: 'Function key', remember: 'Remember on this device', open: 'Open dashboard',
    keyMissing: 'Enter the function key to see the dashboard.',
    keyRejected: 'The key was rejected (401). Check that it is a function key of this app.',
    keyUnreachable: 'The API could not be reached. Is the app running?',
    price: 'Price', entry: 'Entry', stopLoss: 'Stop-loss', takeProfit: 'Take-profit', trailingStop: 'Trailing stop',
    chartKst: 'Times in KST', noCandles: 'No stored candles in this window yet.', marketStale: 'Market data is stale: newest candle {age} old.',
    position: 'Position', quantity: 'Quantity', avgEntry: 'Average entry', value: 'Value', lastPrice: 'Last price',
    unrealized: 'Unrealized PnL', realized: 'Realized PnL', noPosition: 'No open position.',
    equity: 'Equity and daily PnL', equityNow: 'Equity now', krwBalance: 'KRW balance', coinValue: 'Coin value',
    todayPnl: "Today's realized PnL", startEquity: 'Starting equity', todayHalt: "Today's halt", halted: 'Halted', notHalted: 'Not halted',
    day: 'Day (KST)', pnl: 'PnL', pnlPct: 'PnL %', trades: 'Trades', halt: 'Halt trading', resume: 'Resume trading',
    risk: 'Risk', killSwitch: 'Kill switch', tradingOn: 'Trading enabled', tradingOff: 'Trading halted', entries: 'Entries',
    allowed: 'Allowed', blocked: 'Blocked', dailyHalt: 'Daily-loss halt', editSettings: 'Edit settings', settingsInForce: 'Settings in force',
    riskEvents: 'Recent risk events', save: 'Save', cancel: 'Cancel', confirm: 'Confirm', reason: 'Reason', adminKey: 'Admin (master) key',
    haltTitle: 'Halt trading (kill switch)', resumeTitle: 'Resume trading', settingsTitle: 'Edit settings: admin key',
    reasonRequired: 'A reason is required.', adminRejected: 'The admin key was rejected (401).', halted_done: 'Trading halted.',
    resumed_done: 'Trading resumed.', saved: 'Settings saved.', fixFields: 'Fix the fields marked below.', noChanges: 'Nothing changed.',
    signals: 'Signals', time: 'Time', type: 'Type', score: 'Score', confidence: 'Confidence', provider: 'Provider',
    outcome4h: '4 h outcome', outcome24h: '24 h outcome', reasoning: 'Reasoning', show: 'show', pending: 'pending',
    orders: 'Orders', side: 'Side', status: 'Status', requested: 'Requested', filled: 'Filled', avgPrice: 'Avg price', fee: 'Fee',
    health: 'Health', component: 'Component', state: 'State', detail: 'Detail', overall: 'Overall',
    ai: 'AI usage and cost', days30: 'Last 30 days', tokensIn: 'Input tokens', tokensOut: 'Output tokens', tokensThinking: 'Thinking tokens',
    cost: 'Estimated cost', signalsCount: 'Signals', budget: "Today's AI spend vs cap", noBudget: 'No daily AI budget cap is reported by this API.',
    calibration: 'Signal calibration', notAvailable: 'Not available on this deployment.',
    backtests: 'Backtests', noBacktests: 'No backtests yet.', created: 'Created', period: 'Period', totalReturn: 'Total return',
    maxDrawdown: 'Max drawdown', sharpe: 'Sharpe',
    updated: 'Updated {time}', stale: 'Data stale: last update {age} ago', failed: '{n} call(s) failed; showing the last data',
    callFailed: 'Call failed: {what}', empty: 'None yet.',
    footer: 'Paper trading is the default. Charts by',
    events: 'Event', action: 'Action', trigger: 'Trigger',
  },
  ko: {
    title: '비트코인 자동매매', refresh: '새로고침', forgetKey: '키 지우기', keyTitle: '함수 키',
    keyHelp: '이 앱의 함수 키를 입력하세요. 키는 이 브라우저에만 저장되며 x-functions-key로 전송됩니다.',
    keyLabel: '함수 키', remember: '이 기기에 기억', open: '대시보드 열기',
    keyMissing: '대시보드를 보려면 함수 키를 입력하세요.',
    keyRejected: '키가 거부되었습니다 (401). 이 앱의 함수 키인지 확인하세요.',
    keyUnreachable: 'API에 연결할 수 없습니다. 앱이 실행 중인가요?',
    price: '가격', entry: '진입가', stopLoss: '손절가', takeProfit: '익절가', trailingStop: '트레일링 스톱',
    chartKst: '시간: KST', noCandles: '이 기간에 저장된 캔들이 없습니다.', marketStale: '시세가 오래되었습니다: 최신 캔들 {age} 전.',
    position: '포지션', quantity: '수량', avgEntry: '평균 진입가', value: '평가액', lastPrice: '현재가',
    unrealized: '미실현 손익', realized: '실현 손익', noPosition: '보유 포지션 없음.',
    equity: '자산 및 일일 손익', equityNow: '현재 자산', krwBalance: '원화 잔고', coinValue: '코인 평가액',
    todayPnl: '오늘 실현 손익', startEquity: '시작 자산', todayHalt: '오늘 거래 중지', halted: '중지됨', notHalted: '정상',
    day: '일자 (KST)', pnl: '손익', pnlPct: '손익 %', trades: '거래', halt: '거래 중지', resume: '거래 재개',
    risk: '리스크', killSwitch: '킬 스위치', tradingOn: '거래 가능', tradingOff: '거래 중지됨', entries: '신규 진입',
    allowed: '허용', blocked: '차단', dailyHalt: '일일 손실 중지', editSettings: '설정 변경', settingsInForce: '적용 중인 설정',
    riskEvents: '최근 리스크 이벤트', save: '저장', cancel: '취소', confirm: '확인', reason: '사유', adminKey: '관리자(마스터) 키',
    haltTitle: '거래 중지 (킬 스위치)', resumeTitle: '거래 재개', settingsTitle: '설정 변경: 관리자 키',
    reasonRequired: '사유를 입력하세요.', adminRejected: '관리자 키가 거부되었습니다 (401).', halted_done: '거래가 중지되었습니다.',
    resumed_done: '거래가 재개되었습니다.', saved: '설정이 저장되었습니다.', fixFields: '아래 표시된 항목을 고치세요.', noChanges: '변경 사항이 없습니다.',
    signals: '시그널', time: '시간', type: '종류', score: '점수', confidence: '신뢰도', provider: '제공자',
    outcome4h: '4시간 결과', outcome24h: '24시간 결과', reasoning: '근거', show: '보기', pending: '대기',
    orders: '주문', side: '방향', status: '상태', requested: '요청', filled: '체결', avgPrice: '평균가', fee: '수수료',
    health: '상태 점검', component: '구성 요소', state: '상태', detail: '세부', overall: '전체',
    ai: 'AI 사용량 및 비용', days30: '최근 30일', tokensIn: '입력 토큰', tokensOut: '출력 토큰', tokensThinking: '사고 토큰',
    cost: '예상 비용', signalsCount: '시그널 수', budget: '오늘 AI 비용 / 한도', noBudget: '이 API는 일일 AI 예산 한도를 제공하지 않습니다.',
    calibration: '시그널 보정', notAvailable: '이 배포에서는 사용할 수 없습니다.',
    backtests: '백테스트', noBacktests: '아직 백테스트가 없습니다.', created: '생성', period: '기간', totalReturn: '총 수익률',
    maxDrawdown: '최대 낙폭', sharpe: '샤프 지수',
    updated: '{time} 갱신', stale: '데이터 오래됨: 마지막 갱신 {age} 전', failed: '{n}개 호출 실패; 마지막 데이터를 표시합니다',
    callFailed: '호출 실패: {what}', empty: '아직 없습니다.',
    footer: '기본은 모의 거래입니다. 차트:',
    events: '이벤트', action: '조치', trigger: '트리거',
  },
};

const LANG_NAME = 'bat.lang';
let current = localStorage.getItem(LANG_NAME)
  ?? ((navigator.languages?.[0] ?? navigator.language ?? 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en');

export const lang = () => current;

export function setLang(value) {
  current = value === 'ko' ? 'ko' : 'en';
  localStorage.setItem(LANG_NAME, current);
}

/** The label for `key` in the current language, with {name} placeholders filled. */
export function t(key, values = {}) {
  const text = LABELS[current][key] ?? LABELS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** Fills every element marked data-i18n; the page calls it again after a language switch. */
export function applyLabels(root = document) {
  document.documentElement.lang = current;
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
}
