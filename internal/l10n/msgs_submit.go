package l10n

// submitMsgs are the messages of validate and submit: the plan, the
// confirmation, the summary, the account check, and the notes and
// errors a row gets (packages pipeline and cli).
var submitMsgs = map[string][2]string{
	// The plan (pipeline.Plan.Describe, DescribePeople).
	"  %-36s %5d  validity: %s; payment: %s\n": {"  %-36s %5d  유효 기간: %s; 결제: %s\n", "  %-36s %5d  有效期限: %s; 付款: %s\n"},
	"  (%d of them had a request whose answer never arrived; DigiCert is checked first and they are ordered only if no order exists)\n": {
		"  (그중 %d건은 응답을 받지 못한 요청이 있었습니다. DigiCert를 먼저 확인하고 주문이 없을 때만 주문합니다)\n",
		"  (其中 %d 筆的請求從未收到回應;會先查詢 DigiCert,確認沒有訂單才訂購)\n"},
	"  --force: %d of them ALREADY HAVE an order and will be ordered AGAIN\n": {
		"  --force: 그중 %d명은 이미 주문이 있는데도 다시 주문합니다\n",
		"  --force: 其中 %d 人已經有訂單,將再次訂購\n"},
	"  ... and %d more\n":                     {"  ... 외 %d건\n", "  ... 另有 %d 筆\n"},
	"(--show-plan lists every row)\n":         {"(--show-plan을 붙이면 모든 행을 보여 줍니다)\n", "(加上 --show-plan 可列出每一列)\n"},
	"(no email)":                              {"(이메일 없음)", "(無電子郵件)"},
	"(none)":                                  {"(없음)", "(無)"},
	"balance (DigiCert's default)":            {"balance (DigiCert 기본값)", "balance (DigiCert 預設)"},
	"  row %-5d %s: %s":                       {"  행 %-5d %s: %s", "  列 %-5d %s: %s"},
	"%s; validity: %s; payment: %s":           {"%s; 유효 기간: %s; 결제: %s", "%s; 有效期限: %s; 付款: %s"},
	"certbatch has nothing to order.\n":       {"certbatch가 주문할 것이 없습니다.\n", "certbatch 沒有要訂購的項目。\n"},
	"certbatch will place up to %d orders:\n": {"certbatch가 최대 %d건을 주문합니다:\n", "certbatch 將下單最多 %d 筆:\n"},
	"  WARNING: %d orders go to example.com/.org/.net addresses, which are placeholders: check the file before you confirm\n": {
		"  경고: 주문 %d건이 예시용 주소(example.com/.org/.net)로 갑니다. 확인하기 전에 파일을 점검하십시오\n",
		"  警告: 有 %d 筆訂單寄往範例用地址 (example.com/.org/.net):確認前請檢查檔案\n"},
	"  keys: certbatch generates %d key pairs here (%s), each kept encrypted in %s until its certificate is handed over in a .p12\n": {
		"  키: certbatch가 이 컴퓨터에서 키 쌍 %d개를 생성합니다(%s). 각 키는 인증서를 .p12로 전달할 때까지 %s에 암호화되어 보관됩니다\n",
		"  金鑰: certbatch 在此產生 %d 組金鑰對 (%s),每組都加密保存在 %s,直到憑證以 .p12 交付為止\n"},
	"%d rows already ordered earlier: skipped\n": {"이미 주문된 %d행: 건너뜁니다\n", "%d 列先前已訂購: 略過\n"},
	"%d rows have an order at DigiCert that this journal did not know (another machine, admin or journal): skipped\n": {
		"%d행은 이 저널이 모르는 주문이 DigiCert에 있습니다(다른 컴퓨터, 관리자 또는 저널): 건너뜁니다\n",
		"%d 列在 DigiCert 已有此日誌不知道的訂單 (其他電腦、管理員或日誌): 略過\n"},
	"%d rows are held back: an order at DigiCert may be the person's and DigiCert does not say (listed above with the orders; --force sends them)\n": {
		"%d행은 보류합니다: DigiCert의 주문이 그 사람의 것일 수 있지만 DigiCert가 알려 주지 않습니다(위에 주문과 함께 표시, --force로 보낼 수 있음)\n",
		"%d 列暫不送出: DigiCert 上的某筆訂單可能屬於此人,但 DigiCert 未說明 (已連同訂單列於上方;--force 會送出)\n"},
	"%d rows hidden or struck through in the input: held back, not sent (--include-hidden sends them)\n": {
		"입력 파일에서 숨겨졌거나 취소선이 그어진 %d행: 보류하며 보내지 않습니다(--include-hidden으로 보낼 수 있음)\n",
		"輸入檔中有 %d 列被隱藏或加上刪除線: 保留,不送出 (--include-hidden 會送出)\n"},
	"the account could NOT be checked for existing orders (%v): %d people new to the journal are not sent; run again later, or pass --no-account-check\n": {
		"계정의 기존 주문을 확인하지 못했습니다(%v). 저널에 없는 %d명은 보내지 않습니다. 나중에 다시 실행하거나 --no-account-check를 붙이십시오\n",
		"無法查詢帳戶中既有的訂單 (%v): 日誌中沒有的 %d 人不會送出;請稍後再執行,或加上 --no-account-check\n"},
	"account checked for existing orders: %s listed, %s\n": {
		"계정의 기존 주문 확인: 주문 목록 %s, %s\n", "已查詢帳戶中既有的訂單: 列出 %s,%s\n"},
	"%d orders":   {"%d건", "%d 筆"},
	"%d requests": {"요청 %d회", "%d 次請求"},
	"%d invalid rows: not sent (listed above; the results file has every problem)\n": {
		"잘못된 %d행: 보내지 않습니다(위에 표시, 결과 파일에 모든 문제가 있습니다)\n",
		"%d 列無效: 不送出 (列於上方;結果檔記載所有問題)\n"},
	"To order (%d):":                {"주문할 사람(%d):", "將訂購 (%d):"},
	"To order AGAIN, --force (%d):": {"다시 주문할 사람, --force (%d):", "將再次訂購,--force (%d):"},
	"To check at DigiCert first, then order only if no order exists (%d):": {
		"DigiCert를 먼저 확인하고 주문이 없을 때만 주문할 사람(%d):", "先查詢 DigiCert,確認沒有訂單才訂購 (%d):"},
	"Skipped, already ordered (%d):":   {"건너뜀, 이미 주문됨(%d):", "略過,已訂購 (%d):"},
	"Skipped, found at DigiCert (%d):": {"건너뜀, DigiCert에 주문이 있음(%d):", "略過,DigiCert 上已有訂單 (%d):"},
	"Held back, not sent (%d):":        {"보류, 보내지 않음(%d):", "保留,不送出 (%d):"},
	"Held back, hidden or struck through in the input (%d; --include-hidden sends them):": {
		"보류, 입력 파일에서 숨겨졌거나 취소선이 그어짐(%d, --include-hidden으로 보낼 수 있음):",
		"保留,輸入檔中被隱藏或加上刪除線 (%d;--include-hidden 會送出):"},
	"Invalid, not sent (%d):": {"잘못됨, 보내지 않음(%d):", "無效,不送出 (%d):"},

	// The confirmation and where the orders go (cli).
	"Place these orders? Type yes to continue: ": {"이대로 주문하시겠습니까? 계속하려면 yes를 입력하십시오: ", "確定要下這些訂單嗎?請輸入 yes 繼續: "},
	"Results: %s\n":              {"결과 파일: %s\n", "結果檔: %s\n"},
	"WARNING: %s\n":              {"경고: %s\n", "警告: %s\n"},
	"API key of: %s\n":           {"API 키 사용자: %s\n", "API 金鑰使用者: %s\n"},
	"Endpoint: %s (%s)\n":        {"엔드포인트: %s (%s)\n", "端點: %s (%s)\n"},
	"Journal: %s%s\n":            {"저널: %s%s\n", "日誌: %s%s\n"},
	"Organizations: %s\n":        {"조직: %s\n", "組織: %s\n"},
	"PRODUCTION":                 {"운영 환경", "正式環境"},
	"SANDBOX":                    {"샌드박스", "沙箱"},
	"production":                 {"운영 환경", "正式環境"},
	"sandbox":                    {"샌드박스", "沙箱"},
	" (PostgreSQL, shared)":      {" (PostgreSQL, 공유)", " (PostgreSQL,共用)"},
	"no access roles listed":     {"표시된 액세스 역할 없음", "未列出存取角色"},
	"account problem: %s\n":      {"계정 문제: %s\n", "帳戶問題: %s\n"},
	"account: NOT CHECKED: %v\n": {"계정: 확인하지 못함: %v\n", "帳戶: 未檢查: %v\n"},
	"account: every product, organization and container of the batch is usable\n": {
		"계정: 이 배치의 모든 제품, 조직, 컨테이너를 사용할 수 있습니다\n",
		"帳戶: 此批次的所有產品、組織與容器皆可使用\n"},
	"account: the API key works: user %s (%s), roles: %s; %d read-only requests\n": {
		"계정: API 키가 유효합니다. 사용자 %s (%s), 역할: %s; 읽기 전용 요청 %d회\n",
		"帳戶: API 金鑰有效:使用者 %s (%s),角色: %s;唯讀請求 %d 次\n"},
	"%s: %s %q: %s":                         {"%s: %s %q: %s", "%s: %s %q: %s"},
	"... (%d rows)":                         {"... (%d행)", "... (%d 列)"},
	"%s %d is not on this account (%d); %s": {"이 계정에 %[1]s %[2]d이(가) 없습니다(%[3]d). %[4]s", "此帳戶沒有%[1]s %[2]d (%[3]d);%[4]s"},
	"organization":                          {"조직", "組織"},
	"container":                             {"컨테이너", "容器"},
	"use the ID of one of your organizations (CertCentral: Settings > Organizations)": {
		"계정에 있는 조직의 ID를 사용하십시오(CertCentral: 설정 > 조직)",
		"請使用您帳戶中某個組織的 ID (CertCentral: 設定 > 組織)"},
	"use the ID of one of your containers (CertCentral: Account > Divisions), or leave container.id out": {
		"계정에 있는 컨테이너의 ID를 사용하거나 container.id를 빼십시오(CertCentral: 계정 > 부서)",
		"請使用您帳戶中某個容器的 ID (CertCentral: 帳戶 > 部門),或省略 container.id"},
	"container %d (%s) is not active; use another container": {
		"컨테이너 %d (%s)이(가) 활성 상태가 아닙니다. 다른 컨테이너를 사용하십시오",
		"容器 %d (%s) 未啟用;請使用其他容器"},
	"organization %d (%s) is not active (status %q); activate it in CertCentral or use another organization": {
		"조직 %d (%s)이(가) 활성 상태가 아닙니다(상태 %q). CertCentral에서 활성화하거나 다른 조직을 사용하십시오",
		"組織 %d (%s) 未啟用 (狀態 %q);請在 CertCentral 啟用,或使用其他組織"},
	"product %s is not enabled for this account (enabled: %s); use one of those, or ask DigiCert to enable it": {
		"이 계정에서는 제품 %s을(를) 쓸 수 없습니다(사용 가능: %s). 그중 하나를 쓰거나 DigiCert에 활성화를 요청하십시오",
		"此帳戶未啟用產品 %s (已啟用: %s);請使用其中之一,或請 DigiCert 啟用"},
	"account check: %w": {"계정 확인: %w", "帳戶檢查: %w"},

	// The summary (cli).
	"Would be skipped, already ordered (%d):\n": {"건너뛸 사람, 이미 주문됨(%d):\n", "將略過,已訂購 (%d):\n"},
	"  ... and %d more (see the note column of the results)\n": {
		"  ... 외 %d명(결과 파일의 메모 열 참고)\n", "  ... 另有 %d 人 (見結果檔的說明欄)\n"},
	"... and %d rows more with problems (see the results file)\n": {
		"... 문제가 있는 행이 %d행 더 있습니다(결과 파일 참고)\n", "... 另有 %d 列有問題 (見結果檔)\n"},
	"%s: %d rows read":               {"%s: %d행 읽음", "%s: 讀取 %d 列"},
	"%s: %d rows read from sheet %q": {"%s: %[3]q 시트에서 %[2]d행 읽음", "%s: 從工作表 %[3]q 讀取 %[2]d 列"},
	"%s, %s":                         {"%s, %s", "%s,%s"},
	"%s (%s)":                        {"%s (%s)", "%s (%s)"},
	"%s; batch %s":                   {"%s; 배치 %s", "%s;批次 %s"},
	"%s. Results: %s\n":              {"%s. 결과 파일: %s\n", "%s。結果檔: %s\n"},
	"%d %s (count of an outcome)":    {"%[2]s %[1]d", "%[2]s %[1]d"},
	"row %d: %s":                     {"%d행: %s", "第 %d 列: %s"},
	"row %d: %s: %s":                 {"%d행: %s: %s", "第 %d 列: %s: %s"},
	"  constants from the config (order:): %s": {"  설정 파일의 상수(order:): %s", "  設定檔的常數 (order:): %s"},
	"NOT sent: free text (%s) the config does not map": {
		"보내지 않음: 설정 파일이 지정하지 않은 자유 입력 텍스트(%s)", "不送出: 設定檔未對應的自由文字 (%s)"},
	"named by the config (columns:)":    {"설정 파일이 지정(columns:)", "由設定檔指定 (columns:)"},
	"the template's header":             {"템플릿의 머리글", "範本的標題"},
	"constant from the config (order:)": {"설정 파일의 상수(order:)", "設定檔的常數 (order:)"},
	"key: identifies the person across runs, never sent": {
		"key: 실행할 때마다 같은 사람을 식별하며, 보내지 않음", "key: 每次執行時識別同一人,不會送出"},
	"ignored: no order field":                {"무시됨: 해당하는 주문 항목 없음", "忽略: 沒有對應的訂單欄位"},
	"mapping (input column -> order field):": {"매핑(입력 열 -> 주문 항목):", "對應 (輸入欄 -> 訂單欄位):"},

	// Notes and errors of rows (pipeline).
	"already ordered in batch %s (row %d); --force orders again": {
		"이미 배치 %s(%d행)에서 주문했습니다. --force로 다시 주문할 수 있습니다",
		"已在批次 %s (第 %d 列) 訂購;--force 會再次訂購"},
	"already ordered in batch %s (row %d); --force orders again; the row has changed since that order": {
		"이미 배치 %s(%d행)에서 주문했습니다. --force로 다시 주문할 수 있습니다. 그 주문 뒤로 행의 내용이 바뀌었습니다",
		"已在批次 %s (第 %d 列) 訂購;--force 會再次訂購;此列在該次訂購後已有變更"},
	"would be skipped: %s": {"건너뛸 예정: %s", "將略過: %s"},
	"ALREADY ordered in batch %s (row %d, order %s): ordered AGAIN (--force); %s": {
		"이미 배치 %s(%d행, 주문 %s)에서 주문했지만 다시 주문합니다(--force); %s",
		"已在批次 %s (第 %d 列,訂單 %s) 訂購:將再次訂購 (--force);%s"},
	"an earlier request (batch %s, row %d) got no answer: DigiCert is checked first, and the row is ordered only if no order exists; %s": {
		"이전 요청(배치 %s, %d행)이 응답을 받지 못했습니다. DigiCert를 먼저 확인하고 주문이 없을 때만 주문합니다; %s",
		"先前的請求 (批次 %s,第 %d 列) 未收到回應:會先查詢 DigiCert,確認沒有訂單才訂購;%s"},
	"an earlier request (batch %s, row %d) got no answer: submit checks DigiCert first, and orders only if no order exists": {
		"이전 요청(배치 %s, %d행)이 응답을 받지 못했습니다. submit은 DigiCert를 먼저 확인하고 주문이 없을 때만 주문합니다",
		"先前的請求 (批次 %s,第 %d 列) 未收到回應:submit 會先查詢 DigiCert,確認沒有訂單才訂購"},
	"an earlier request (batch %s) got no answer and DigiCert could not be checked: %v": {
		"이전 요청(배치 %s)이 응답을 받지 못했고 DigiCert도 확인하지 못했습니다: %v",
		"先前的請求 (批次 %s) 未收到回應,且無法查詢 DigiCert: %v"},
	"an earlier renewal request (batch %s) got no answer and DigiCert could not be checked: %v": {
		"이전 갱신 요청(배치 %s)이 응답을 받지 못했고 DigiCert도 확인하지 못했습니다: %v",
		"先前的續約請求 (批次 %s) 未收到回應,且無法查詢 DigiCert: %v"},
	"already renewed at DigiCert: order %d renews order %d": {
		"DigiCert에서 이미 갱신됨: 주문 %d이(가) 주문 %d을(를) 갱신합니다", "已在 DigiCert 續約: 訂單 %d 續約訂單 %d"},
	"conflicts with order %s (batch %s, row %d): the same email has an order under key %q; if it is one person, correct the row; --force orders anyway": {
		"주문 %s(배치 %s, %d행)와 충돌합니다: 같은 이메일로 키 %q의 주문이 있습니다. 같은 사람이면 행을 고치십시오. --force로 그래도 주문할 수 있습니다",
		"與訂單 %s (批次 %s,第 %d 列) 衝突: 相同的電子郵件已有識別值 %q 的訂單;若為同一人,請修正此列;--force 仍會訂購"},
	"conflicts with order %s (batch %s, row %d): the same key %q is on the order for %s; if it is one person, correct the row; --force orders anyway": {
		"주문 %s(배치 %s, %d행)와 충돌합니다: 같은 키 %q이(가) %s의 주문에 있습니다. 같은 사람이면 행을 고치십시오. --force로 그래도 주문할 수 있습니다",
		"與訂單 %s (批次 %s,第 %d 列) 衝突: 相同的識別值 %q 屬於 %s 的訂單;若為同一人,請修正此列;--force 仍會訂購"},
	"found at DigiCert: order %d (%s) already exists for this person (it names no email and is listed under this person's name, product and organization); --force orders again": {
		"DigiCert에 있음: 이 사람의 주문 %d (%s)이(가) 이미 있습니다(이메일은 없지만 이 사람의 이름, 제품, 조직으로 등록됨). --force로 다시 주문할 수 있습니다",
		"DigiCert 上已有: 此人的訂單 %d (%s) 已存在 (未列電子郵件,但以此人的姓名、產品與組織列出);--force 會再次訂購"},
	"found at DigiCert: order %d (%s) already exists for this person (it names this person's email); --force orders again": {
		"DigiCert에 있음: 이 사람의 주문 %d (%s)이(가) 이미 있습니다(이 사람의 이메일이 있음). --force로 다시 주문할 수 있습니다",
		"DigiCert 上已有: 此人的訂單 %d (%s) 已存在 (列有此人的電子郵件);--force 會再次訂購"},
	"held back: order %s at DigiCert may be this person's (%s); check it in CertCentral: if it is this person's, nothing needs ordering; if not, --force sends the row anyway": {
		"보류: DigiCert의 주문 %s이(가) 이 사람의 것일 수 있습니다(%s). CertCentral에서 확인하십시오. 이 사람의 것이면 주문할 필요가 없고, 아니면 --force로 보낼 수 있습니다",
		"保留: DigiCert 上的訂單 %s 可能屬於此人 (%s);請在 CertCentral 確認:若屬於此人,則無需訂購;若否,--force 仍會送出此列"},
	"held back: orders %s at DigiCert may be this person's (%s); check them in CertCentral: if one is this person's, nothing needs ordering; if not, --force sends the row anyway": {
		"보류: DigiCert의 주문 %s 중 하나가 이 사람의 것일 수 있습니다(%s). CertCentral에서 확인하십시오. 그중 하나가 이 사람의 것이면 주문할 필요가 없고, 아니면 --force로 보낼 수 있습니다",
		"保留: DigiCert 上的訂單 %s 可能屬於此人 (%s);請在 CertCentral 確認:若其中之一屬於此人,則無需訂購;若否,--force 仍會送出此列"},
	"each names this person's email": {"모두 이 사람의 이메일이 있음", "每筆都列有此人的電子郵件"},
	"they are listed under the organization's name and DigiCert does not say whose they are": {
		"조직 이름으로 등록되어 있고 DigiCert가 누구의 것인지 알려 주지 않음", "以組織名稱列出,DigiCert 未說明屬於誰"},
	"each is listed under this person's name and DigiCert does not say whose they are": {
		"모두 이 사람의 이름으로 등록되어 있고 DigiCert가 누구의 것인지 알려 주지 않음", "每筆都以此人的姓名列出,DigiCert 未說明屬於誰"},
	"it is listed under this person's name, which another person of the batch has too, and DigiCert does not say whose it is": {
		"이 배치의 다른 사람과 같은 이름으로 등록되어 있고 DigiCert가 누구의 것인지 알려 주지 않음",
		"以此人的姓名列出,但此批次另有一人同名,DigiCert 未說明屬於誰"},
	"not sent: DigiCert could not be checked for an existing order of this person": {
		"보내지 않음: 이 사람의 기존 주문을 DigiCert에서 확인하지 못했습니다", "不送出: 無法向 DigiCert 查詢此人是否已有訂單"},
	"order %s":  {"주문 %s", "訂單 %s"},
	"orders %s": {"주문 %s", "訂單 %s"},
	"ordered meanwhile by another run (batch %s, row %d); not ordered again": {
		"그사이 다른 실행이 주문했습니다(배치 %s, %d행). 다시 주문하지 않습니다", "期間已由另一次執行訂購 (批次 %s,第 %d 列);不再次訂購"},
	"orders %s may be the earlier unanswered request's: each is listed under this person's name and names no email, so DigiCert does not say whose it is": {
		"주문 %s은(는) 응답을 받지 못한 이전 요청의 주문일 수 있습니다. 모두 이 사람의 이름으로 등록되어 있지만 이메일이 없어 DigiCert가 누구의 것인지 알려 주지 않습니다",
		"訂單 %s 可能是先前未收到回應之請求的訂單:每筆都以此人的姓名列出但未列電子郵件,DigiCert 未說明屬於誰"},
	"orders %s may be the earlier unanswered request's: it is listed under this person's name, which another person of the batch has too, and names no email, so DigiCert does not say whose it is": {
		"주문 %s은(는) 응답을 받지 못한 이전 요청의 주문일 수 있습니다. 이 배치의 다른 사람과 같은 이름으로 등록되어 있고 이메일이 없어 DigiCert가 누구의 것인지 알려 주지 않습니다",
		"訂單 %s 可能是先前未收到回應之請求的訂單:它以此人的姓名列出,但此批次另有一人同名,且未列電子郵件,DigiCert 未說明屬於誰"},
	"orders %s of this product were placed since the unanswered request and DigiCert does not say whose they are; check them in CertCentral": {
		"응답을 받지 못한 요청 이후 이 제품의 주문 %s이(가) 생겼고 DigiCert가 누구의 것인지 알려 주지 않습니다. CertCentral에서 확인하십시오",
		"自該未回應的請求後,此產品已有訂單 %s,DigiCert 未說明屬於誰;請在 CertCentral 確認"},
	"several orders at DigiCert match an earlier unanswered request: %s": {
		"응답을 받지 못한 이전 요청에 맞는 주문이 DigiCert에 여러 건 있습니다: %s", "DigiCert 上有多筆訂單符合先前未收到回應的請求: %s"},
	"no order found, but the unanswered request is under %s old and DigiCert may still create it; run again after %s": {
		"주문이 없지만 응답을 받지 못한 요청이 %s이(가) 지나지 않아 DigiCert가 아직 만들 수 있습니다. %s 이후에 다시 실행하십시오",
		"找不到訂單,但未回應的請求發出不到 %s,DigiCert 仍可能建立它;請於 %s 之後再執行"},
	"no order of the unanswered request was found, but %s at DigiCert may be this person's (%s)": {
		"응답을 받지 못한 요청의 주문은 없지만 DigiCert의 %s이(가) 이 사람의 것일 수 있습니다(%s)",
		"找不到未回應請求的訂單,但 DigiCert 上的%s可能屬於此人 (%s)"},
	"reconciled: no order exists at DigiCert": {"확인 완료: DigiCert에 주문이 없습니다", "已核對: DigiCert 上沒有訂單"},
	"recovered: DigiCert says order %d renewed it (the earlier request of batch %s got no answer)": {
		"복구됨: DigiCert에 따르면 주문 %d이(가) 갱신했습니다(배치 %s의 이전 요청은 응답을 받지 못함)",
		"已復原: DigiCert 表示訂單 %d 已續約 (批次 %s 先前的請求未收到回應)"},
	"recovered: the order from an interrupted run (batch %s) was found at DigiCert": {
		"복구됨: 중단된 실행(배치 %s)의 주문을 DigiCert에서 찾았습니다", "已復原: 在 DigiCert 找到中斷的執行 (批次 %s) 的訂單"},
	"recovered:": {"복구됨:", "已復原:"},
	"not reached: the run ended (killed or crashed) before it got to this row; nothing was sent for it in that run. Run submit again: it orders the row, or skips it when the person is already ordered": {
		"처리 안 됨: 이 행에 이르기 전에 실행이 끝났습니다(강제 종료 또는 오류). 그 실행에서 이 행은 보내지 않았습니다. submit을 다시 실행하십시오. 주문하거나, 이미 주문된 사람이면 건너뜁니다",
		"未處理: 執行在處理此列之前就結束了 (遭終止或當機);該次執行未送出此列。請再執行 submit:它會訂購此列,或在此人已訂購時略過"},

	// Errors of validate and submit (pipeline).
	"%s holds the results of a submission (its orders): it is kept, and the results go to %s": {
		"%s에는 제출 결과(주문)가 들어 있어 그대로 두고, 결과는 %s에 씁니다", "%s 含有送出的結果 (其訂單):保留該檔,結果寫入 %s"},
	"%s holds the results of batch %s: it is kept, and the results go to %s": {
		"%s에는 배치 %s의 결과가 들어 있어 그대로 두고, 결과는 %s에 씁니다", "%s 含有批次 %s 的結果:保留該檔,結果寫入 %s"},
	"%s is not a certbatch results file: it is kept, and the results go to %s": {
		"%s은(는) certbatch 결과 파일이 아니므로 그대로 두고, 결과는 %s에 씁니다", "%s 不是 certbatch 結果檔:保留該檔,結果寫入 %s"},
	"another file: choose another -o": {"다른 파일입니다: 다른 -o를 지정하십시오", "另一個檔案:請指定其他 -o"},
	"will not replace %s: %s":         {"%s을(를) 바꾸지 않습니다: %s", "不會取代 %s: %s"},
	"%w: no terminal to confirm on; pass --yes to order without asking": {
		"%w: 확인할 터미널이 없습니다. 묻지 않고 주문하려면 --yes를 붙이십시오", "%w: 沒有可供確認的終端機;若要不經詢問直接訂購,請加上 --yes"},
	"%w; and the journal could not be written either (%v): the orders placed are at DigiCert, and the next run checks there first": {
		"%w. 저널도 쓰지 못했습니다(%v). 넣은 주문은 DigiCert에 있으며 다음 실행이 먼저 그곳을 확인합니다",
		"%w;日誌也無法寫入 (%v):已下的訂單在 DigiCert 上,下次執行會先查詢該處"},
	"%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results": {
		"%w. 보낸 모든 행은 저널에 있습니다. `certbatch results --batch %s -o FILE`로 결과를 쓸 수 있습니다",
		"%w;已送出的每一列都在日誌中: `certbatch results --batch %s -o FILE` 可寫出結果"},
	"cannot write %s: the folder %s: %w": {"%s을(를) 쓸 수 없습니다: 폴더 %s: %w", "無法寫入 %s: 資料夾 %s: %w"},
	"plan: %w":                           {"계획: %w", "計畫: %w"},
	"plan: read back: %w":                {"계획: 다시 읽기: %w", "計畫: 讀回: %w"},
	"plan: row %d: %w":                   {"계획: %d행: %w", "計畫: 第 %d 列: %w"},
	"read %s: %w":                        {"%s 읽기: %w", "讀取 %s: %w"},
	"write %s: %w":                       {"%s 쓰기: %w", "寫入 %s: %w"},
	"record the batch's rows before sending: %w; nothing was sent": {
		"보내기 전에 배치의 행을 기록하지 못했습니다: %w. 아무것도 보내지 않았습니다", "送出前記錄批次的各列失敗: %w;未送出任何內容"},
	"the input file changed after it was checked; nothing was sent for the changed file, run the command again": {
		"확인한 뒤에 입력 파일이 바뀌었습니다. 바뀐 파일로는 아무것도 보내지 않았으니 명령을 다시 실행하십시오",
		"輸入檔在檢查後有所變更;變更後的檔案未送出任何內容,請再執行一次指令"},
	"the journal %s could not be written (%v): the run stopped, nothing more was sent; every row's result is in %s (the next run checks DigiCert for the answers the journal misses)": {
		"저널 %s을(를) 쓰지 못했습니다(%v). 실행을 멈췄고 더 보내지 않았습니다. 모든 행의 결과는 %s에 있습니다(다음 실행이 저널에 없는 응답을 DigiCert에서 확인합니다)",
		"無法寫入日誌 %s (%v):執行已停止,未再送出;每一列的結果都在 %s (下次執行會向 DigiCert 查詢日誌缺少的回應)"},
	"the key method generate needs a key folder": {"키 방식 generate에는 키 폴더가 필요합니다", "金鑰方式 generate 需要金鑰資料夾"},
	"the output %s is the input file under another name: choose another -o or --payloads": {
		"출력 %s은(는) 다른 이름의 입력 파일입니다. 다른 -o 또는 --payloads를 지정하십시오", "輸出 %s 是換了名稱的輸入檔:請指定其他 -o 或 --payloads"},
	"the output %s is the input file: choose another -o or --payloads": {
		"출력 %s은(는) 입력 파일입니다. 다른 -o 또는 --payloads를 지정하십시오", "輸出 %s 就是輸入檔:請指定其他 -o 或 --payloads"},
	"the output %s is the journal %s: choose another -o or --payloads": {
		"출력 %s은(는) 저널 %s입니다. 다른 -o 또는 --payloads를 지정하십시오", "輸出 %s 是日誌 %s:請指定其他 -o 或 --payloads"},
}

// submitOne are the submit messages whose English changes for one.
var submitOne = map[string]one{
	"certbatch will place up to %d orders:\n": {1, "certbatch will place up to %d order:\n"},
	"  keys: certbatch generates %d key pairs here (%s), each kept encrypted in %s until its certificate is handed over in a .p12\n": {1,
		"  keys: certbatch generates %d key pair here (%s), each kept encrypted in %s until its certificate is handed over in a .p12\n"},
	"  WARNING: %d orders go to example.com/.org/.net addresses, which are placeholders: check the file before you confirm\n": {1,
		"  WARNING: %d order goes to example.com/.org/.net addresses, which are placeholders: check the file before you confirm\n"},
	"  --force: %d of them ALREADY HAVE an order and will be ordered AGAIN\n": {1, "  --force: %d of them ALREADY HAS an order and will be ordered AGAIN\n"},
	"%d rows already ordered earlier: skipped\n":                              {1, "%d row already ordered earlier: skipped\n"},
	"%d rows are held back: an order at DigiCert may be the person's and DigiCert does not say (listed above with the orders; --force sends them)\n": {1,
		"%d row is held back: an order at DigiCert may be the person's and DigiCert does not say (listed above with the orders; --force sends them)\n"},
	"%d rows hidden or struck through in the input: held back, not sent (--include-hidden sends them)\n": {1,
		"%d row hidden or struck through in the input: held back, not sent (--include-hidden sends them)\n"},
	"%d orders":   {1, "%d order"},
	"%d requests": {1, "%d request"},
	"%d invalid rows: not sent (listed above; the results file has every problem)\n": {1,
		"%d invalid row: not sent (listed above; the results file has every problem)\n"},
	"account: the API key works: user %s (%s), roles: %s; %d read-only requests\n": {4,
		"account: the API key works: user %s (%s), roles: %s; %d read-only request\n"},
	"... and %d rows more with problems (see the results file)\n": {1, "... and %d row more with problems (see the results file)\n"},
	"%s: %d rows read":               {2, "%s: %d row read"},
	"%s: %d rows read from sheet %q": {2, "%s: %d row read from sheet %q"},
}

// rowMsgs are more notes and errors of rows: rows held back, rows the
// run did not send, answers that did not come.
var rowMsgs = map[string][2]string{
	"held back, not ordered: the row is %s; check it, then --include-hidden orders it": {
		"보류, 주문하지 않음: 이 행은 %s. 확인한 뒤 --include-hidden으로 주문할 수 있습니다", "保留,不訂購: 此列%s;確認後 --include-hidden 會訂購"},
	"filtered out: the sheet's filter hides it in Excel": {"Excel에서 시트의 필터로 숨겨져 있습니다", "在 Excel 中被工作表的篩選隱藏"},
	"hidden in Excel": {"Excel에서 숨겨져 있습니다", "在 Excel 中被隱藏"},
	"part of the text in %s is struck through in Excel": {
		"Excel에서 %s의 텍스트 일부에 취소선이 그어져 있습니다", "在 Excel 中 %s 的部分文字加上了刪除線"},
	"struck through in Excel (%s)":                      {"Excel에서 취소선이 그어져 있습니다(%s)", "在 Excel 中加上了刪除線 (%s)"},
	"held back in the run that wrote this file":         {"이 파일을 쓴 실행에서 보류되었습니다", "在寫出此檔案的執行中被保留"},
	"%s (in the input of the run that wrote this file)": {"%s (이 파일을 쓴 실행의 입력 파일에서)", "%s (在寫出此檔案之執行的輸入檔中)"},
	"not sent: the run was interrupted; run again to order it": {
		"보내지 않음: 실행이 중단되었습니다. 다시 실행하면 주문합니다", "未送出: 執行已中斷;再執行一次即會訂購"},
	"not sent: the run stopped: %s": {"보내지 않음: 실행이 멈췄습니다: %s", "未送出: 執行已停止: %s"},
	"not sent: DigiCert could not be checked for an existing order of this person (%s); nothing was created, safe to run again": {
		"보내지 않음: 이 사람의 기존 주문을 DigiCert에서 확인하지 못했습니다(%s). 아무것도 만들어지지 않았으니 다시 실행해도 안전합니다",
		"未送出: 無法向 DigiCert 查詢此人是否已有訂單 (%s);未建立任何項目,可安全地再執行"},
	"the answer could not be journaled: %s": {"응답을 저널에 기록하지 못했습니다: %s", "無法將回應記錄到日誌: %s"},
	"%s; not resent in this run: the next run checks DigiCert first": {
		"%s. 이번 실행에서는 다시 보내지 않습니다. 다음 실행이 DigiCert를 먼저 확인합니다", "%s;此次執行不重送: 下次執行會先查詢 DigiCert"},
	"not created: %s; safe to run again": {"만들어지지 않음: %s. 다시 실행해도 안전합니다", "未建立: %s;可安全地再執行"},
	"%s; decide by hand (cancel the extra ones in CertCentral), then run `certbatch reconcile`": {
		"%s. 직접 판단하십시오(CertCentral에서 남는 주문을 취소). 그런 다음 `certbatch reconcile`을 실행하십시오",
		"%s;請人工判斷 (在 CertCentral 取消多餘的訂單),然後執行 `certbatch reconcile`"},
	"%s; safe to run submit again": {"%s. submit을 다시 실행해도 안전합니다", "%s;可安全地再執行 submit"},
	"recovered: the order of a request whose answer never arrived was found at DigiCert": {
		"복구됨: 응답을 받지 못한 요청의 주문을 DigiCert에서 찾았습니다", "已復原: 在 DigiCert 找到未收到回應之請求的訂單"},
	"the run ended before the answer arrived; the next submit or `certbatch reconcile` checks DigiCert": {
		"응답이 오기 전에 실행이 끝났습니다. 다음 submit 또는 `certbatch reconcile`이 DigiCert를 확인합니다",
		"在回應送達前執行就結束了;下次 submit 或 `certbatch reconcile` 會查詢 DigiCert"},
	"DigiCert says it is renewed": {"DigiCert에 따르면 갱신되었습니다", "DigiCert 表示已續約"},
	"not in the input":            {"입력 파일에 없음", "不在輸入檔中"},
	"leaver: %s":                  {"퇴사자: %s", "離職人員: %s"},
	"leaver: active certificate of a person no longer on the roster; not revoked (--revoke-leavers)": {
		"퇴사자: 명단에 없는 사람의 유효한 인증서입니다. 폐지하지 않았습니다(--revoke-leavers)", "離職人員: 已不在名冊上之人員的有效憑證;未撤銷 (--revoke-leavers)"},
	"the revocation request was rejected": {"폐지 요청이 거부되었습니다", "撤銷請求遭拒"},
	"no revocation reached DigiCert (found when the run was resumed)": {
		"DigiCert에 도달한 폐지가 없습니다(실행을 재개할 때 확인함)", "沒有任何撤銷送達 DigiCert (於恢復執行時發現)"},
	"awaiting approval, but order info names no request to reject": {
		"승인 대기 중이지만 주문 정보에 거부할 요청이 없습니다", "等待核准,但訂單資訊中沒有可拒絕的請求"},
	"Go ahead with the joiners, renewals and leavers above?": {
		"위의 신규 입사자, 갱신, 퇴사자를 처리하시겠습니까?", "要處理上列的新進人員、續約與離職人員嗎?"},
	"will revoke": {"폐지함", "將撤銷"},
	"revocation requested already, waiting for an approver": {"이미 폐지 요청됨, 승인자 대기 중", "已請求撤銷,等待核准者"},
	"revoked already": {"이미 폐지됨", "已撤銷"},
	"not issued (nothing to revoke; cancel the order instead)": {
		"발급 안 됨(폐지할 것 없음, 대신 주문을 취소하십시오)", "未核發 (沒有要撤銷的項目;請改為取消訂單)"},
	"REFUSED: not revoked": {"거부: 폐지하지 않음", "拒絕: 未撤銷"},
}
