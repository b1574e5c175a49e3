package l10n

// backendMsgs are the errors of the CertCentral client and the journal
// (packages certcentral and journal). The first %s of most is the
// operation ("get order 100003"), itself a message of the catalog
// (opMsgs); DigiCert's own error codes and messages come in %w as
// DigiCert wrote them.
var backendMsgs = map[string][2]string{
	// certcentral.
	"%s: %w (reading the %s to check: %v)":  {"%s: %w (확인하려고 %s 읽기: %v)", "%s: %w (讀取%s以確認: %v)"},
	"%s: %w (stopped waiting to retry: %w)": {"%s: %w (재시도 대기 중 멈춤: %w)", "%s: %w (等待重試時停止: %w)"},
	"%s: %w: gave up after %d answers 429: %w": {
		"%s: %w: 429 응답을 %d번 받고 포기했습니다: %w", "%s: %w: 收到 %d 次 429 回應後放棄: %w"},
	"%s: %w: it is %s (%w)":                      {"%s: %w: 현재 %s 상태입니다(%w)", "%s: %w: 目前為 %s (%w)"},
	"%s: %w: it is %s":                           {"%s: %w: 현재 %s 상태입니다", "%s: %w: 目前為 %s"},
	"%s: %w: stopped while backing off (%w): %w": {"%s: %w: 대기 중 멈춤(%w): %w", "%s: %w: 退避等待時停止 (%w): %w"},
	"%s: after %d attempts: %w":                  {"%s: %d번 시도한 뒤: %w", "%s: 嘗試 %d 次後: %w"},
	"%s: not done (%w): the %s is still %s (stopped waiting to retry: %w)": {
		"%s: 완료되지 않음(%w): %s은(는) 아직 %s 상태입니다(재시도 대기 중 멈춤: %w)", "%s: 未完成 (%w): %s仍為 %s (等待重試時停止: %w)"},
	"%s: not done after %d attempts (%w): the %s is still %s": {
		"%s: %d번 시도했지만 완료되지 않음(%w): %s은(는) 아직 %s 상태입니다", "%s: 嘗試 %d 次後仍未完成 (%w): %s仍為 %s"},
	"%s: not revoked (%w) (stopped waiting to retry: %w)": {
		"%s: 폐지되지 않음(%w) (재시도 대기 중 멈춤: %w)", "%s: 未撤銷 (%w) (等待重試時停止: %w)"},
	"%s: not revoked after %d attempts (%w): the order is still %s": {
		"%s: %d번 시도했지만 폐지되지 않음(%w): 주문은 아직 %s 상태입니다", "%s: 嘗試 %d 次後仍未撤銷 (%w): 訂單仍為 %s"},
	"%s: not sent after %d attempts: %w":              {"%s: %d번 시도했지만 보내지 못함: %w", "%s: 嘗試 %d 次後仍未送出: %w"},
	"%s: not sent: %w (stopped waiting to retry: %w)": {"%s: 보내지 않음: %w (재시도 대기 중 멈춤: %w)", "%s: 未送出: %w (等待重試時停止: %w)"},
	"%s: not sent: %w":                                {"%s: 보내지 않음: %w", "%s: 未送出: %w"},
	"%s: not sent: invalid format %q":                 {"%s: 보내지 않음: 잘못된 형식 %q", "%s: 未送出: 無效的格式 %q"},
	"%s: not sent: invalid order ID":                  {"%s: 보내지 않음: 잘못된 주문 ID", "%s: 未送出: 無效的訂單 ID"},
	"%s: not sent: invalid product name %q":           {"%s: 보내지 않음: 잘못된 제품 이름 %q", "%s: 未送出: 無效的產品名稱 %q"},
	"%s: not sent: invalid request ID":                {"%s: 보내지 않음: 잘못된 요청 ID", "%s: 未送出: 無效的請求 ID"},
	"%s: not sent: invalid request or status":         {"%s: 보내지 않음: 잘못된 요청 또는 상태", "%s: 未送出: 無效的請求或狀態"},
	"%s: not sent: revocation reason %q is not one of %v": {
		"%s: 보내지 않음: 폐지 사유 %q은(는) 다음 중 하나가 아닙니다: %v", "%s: 未送出: 撤銷原因 %q 不是下列之一: %v"},
	"%s: outcome unknown (%w); reading the %s to check failed: %w": {
		"%s: 결과를 알 수 없음(%w). 확인하려고 %s을(를) 읽었지만 실패했습니다: %w", "%s: 結果不明 (%w);讀取%s以確認時失敗: %w"},
	"%s: outcome unknown (%w); reading the order to check failed: %w": {
		"%s: 결과를 알 수 없음(%w). 확인하려고 주문을 읽었지만 실패했습니다: %w", "%s: 結果不明 (%w);讀取訂單以確認時失敗: %w"},
	"%s: outcome unknown (%w); reading the request to check failed: %w": {
		"%s: 결과를 알 수 없음(%w). 확인하려고 요청을 읽었지만 실패했습니다: %w", "%s: 結果不明 (%w);讀取請求以確認時失敗: %w"},
	"%s: still %s (%w) (stopped waiting to retry: %w)": {
		"%s: 아직 %s 상태(%w) (재시도 대기 중 멈춤: %w)", "%s: 仍為 %s (%w) (等待重試時停止: %w)"},
	"%s: still %s after %d attempts: %w": {"%s: %[3]d번 시도한 뒤에도 %[2]s 상태: %[4]w", "%s: 嘗試 %[3]d 次後仍為 %[2]s: %[4]w"},
	"CertCentral could not be reached or answered with a server error": {
		"CertCentral에 연결할 수 없거나 서버 오류로 응답했습니다", "無法連線 CertCentral,或其回應伺服器錯誤"},
	"authentication failed":               {"인증에 실패했습니다", "驗證失敗"},
	"build request: %w":                   {"요청 만들기: %w", "建立請求: %w"},
	"decode answer: %w":                   {"응답 해석: %w", "解析回應: %w"},
	"empty answer":                        {"빈 응답", "空的回應"},
	"list requests: longer than %d pages": {"요청 목록: %d쪽보다 깁니다", "請求清單: 超過 %d 頁"},
	"new certcentral client: base URL %s...: want an absolute URL such as %s, without user, password, query or fragment": {
		"CertCentral 클라이언트: 기본 URL %s...: 사용자, 비밀번호, 쿼리, 프래그먼트 없이 %s 같은 절대 URL을 쓰십시오",
		"CertCentral 用戶端: 基本 URL %s...: 請使用像 %s 這樣不含使用者、密碼、查詢或片段的絕對 URL"},
	"new certcentral client: base URL %s: plain http is allowed only for loopback hosts (a local sandbox); use https": {
		"CertCentral 클라이언트: 기본 URL %s: 암호화되지 않은 http는 루프백 호스트(로컬 샌드박스)에만 허용됩니다. https를 쓰십시오",
		"CertCentral 用戶端: 基本 URL %s: 未加密的 http 只允許用於本機迴路主機 (本機沙箱);請使用 https"},
	"new certcentral client: base URL %s: want https://": {
		"CertCentral 클라이언트: 기본 URL %s: https://여야 합니다", "CertCentral 用戶端: 基本 URL %s: 必須是 https://"},
	"new certcentral client: no API key": {"CertCentral 클라이언트: API 키가 없습니다", "CertCentral 用戶端: 沒有 API 金鑰"},
	"new certcentral client: the API key contains a line break or NUL": {
		"CertCentral 클라이언트: API 키에 줄 바꿈이나 NUL이 있습니다", "CertCentral 用戶端: API 金鑰含有換行或 NUL"},
	"new certcentral client: the base URL contains the API key: remove it; the key goes only in $DIGICERT_API_KEY or --api-key-file": {
		"CertCentral 클라이언트: 기본 URL에 API 키가 들어 있습니다. 지우십시오. 키는 $DIGICERT_API_KEY 또는 --api-key-file에만 둡니다",
		"CertCentral 用戶端: 基本 URL 含有 API 金鑰: 請移除;金鑰只能放在 $DIGICERT_API_KEY 或 --api-key-file"},
	"no order id in the answer":         {"응답에 주문 ID가 없습니다", "回應中沒有訂單 ID"},
	"rate limited by CertCentral":       {"CertCentral의 요청 한도에 걸렸습니다", "遭 CertCentral 限制請求速率"},
	"read answer (status %d): %w":       {"응답 읽기(상태 %d): %w", "讀取回應 (狀態 %d): %w"},
	"the order cannot be canceled":      {"주문을 취소할 수 없습니다", "無法取消此訂單"},
	"the order cannot be revoked":       {"주문을 폐지할 수 없습니다", "無法撤銷此訂單"},
	"the request was already processed": {"요청이 이미 처리되었습니다", "請求已處理"},
	"unreadable answer (status %d)":     {"읽을 수 없는 응답(상태 %d)", "無法讀取的回應 (狀態 %d)"},
	"unreadable answer (status %d): %w": {"읽을 수 없는 응답(상태 %d): %w", "無法讀取的回應 (狀態 %d): %w"},

	// journal.
	"%s is a symbolic link: remove it (certbatch never writes through one)": {
		"%s은(는) 심볼릭 링크입니다. 지우십시오(certbatch는 링크를 통해 쓰지 않습니다)", "%s 是符號連結: 請移除 (certbatch 絕不透過連結寫入)"},
	"%s is not a plain file of its own (a hard link or a special file): remove it": {
		"%s은(는) 독립된 일반 파일이 아닙니다(하드 링크 또는 특수 파일). 지우십시오", "%s 不是獨立的一般檔案 (硬連結或特殊檔案): 請移除"},
	"%s is not a regular file (%s): remove it": {"%s은(는) 일반 파일이 아닙니다(%s). 지우십시오", "%s 不是一般檔案 (%s): 請移除"},
	"%s is readable by others (mode %04o) and could not be made private: %w; chmod 600 it": {
		"%s을(를) 다른 사용자도 읽을 수 있는데(모드 %04o) 비공개로 바꾸지 못했습니다: %w. chmod 600으로 바꾸십시오",
		"%s 可被他人讀取 (權限 %04o),且無法改為私人: %w;請 chmod 600"},
	"%w: bad time %q":          {"%w: 잘못된 시각 %q", "%w: 無效的時間 %q"},
	"%w: batch %s: header: %v": {"%w: 배치 %s: 머리글: %v", "%w: 批次 %s: 標題: %v"},
	"%w: it has schema version %d; run `certbatch reconcile` (or submit) on it once to upgrade it to version %d": {
		"%w: 스키마 버전이 %d입니다. `certbatch reconcile`(또는 submit)을 한 번 실행해 버전 %d(으)로 올리십시오",
		"%w: 其結構描述版本為 %d;請對它執行一次 `certbatch reconcile` (或 submit) 以升級到版本 %d"},
	"%w: it is an SQLite database of another application (application_id %d)": {
		"%w: 다른 애플리케이션의 SQLite 데이터베이스입니다(application_id %d)", "%w: 這是其他應用程式的 SQLite 資料庫 (application_id %d)"},
	"%w: it is an SQLite database of something else (schema version %d)": {
		"%w: 다른 용도의 SQLite 데이터베이스입니다(스키마 버전 %d)", "%w: 這是其他用途的 SQLite 資料庫 (結構描述版本 %d)"},
	"%w: schema version %d is newer than this certbatch understands (%d); upgrade certbatch": {
		"%w: 스키마 버전 %d은(는) 이 certbatch가 아는 버전(%d)보다 새롭습니다. certbatch를 업그레이드하십시오",
		"%w: 結構描述版本 %d 比此 certbatch 支援的 (%d) 新;請升級 certbatch"},
	"%w: the database has tables named batches or orders but no schema_migrations table: they are not a certbatch journal's; use another database or schema": {
		"%w: 데이터베이스에 batches 또는 orders 테이블은 있지만 schema_migrations 테이블이 없습니다. certbatch 저널의 테이블이 아니니 다른 데이터베이스나 스키마를 쓰십시오",
		"%w: 資料庫有名為 batches 或 orders 的資料表,但沒有 schema_migrations 資料表: 它們不是 certbatch 日誌的;請使用其他資料庫或結構描述"},
	"%w: the database holds no journal yet (no certbatch run has written it)": {
		"%w: 데이터베이스에 아직 저널이 없습니다(certbatch 실행이 쓴 적이 없음)", "%w: 資料庫中尚無日誌 (還沒有任何 certbatch 執行寫入過)"},
	"%w: the file is empty (no certbatch run has written it yet)": {
		"%w: 파일이 비어 있습니다(certbatch 실행이 아직 쓴 적이 없음)", "%w: 檔案是空的 (還沒有任何 certbatch 執行寫入過)"},
	"%w: the journal needs schema version %d (the database has %d) and this role may not create tables (%s): run certbatch once as the role that owns the journal, or grant this one CREATE on the schema (see the README)": {
		"%w: 저널에는 스키마 버전 %d이(가) 필요하고(데이터베이스는 %d) 이 역할은 테이블을 만들 수 없습니다(%s). 저널을 소유한 역할로 certbatch를 한 번 실행하거나, 이 역할에 스키마의 CREATE 권한을 주십시오(README 참고)",
		"%w: 日誌需要結構描述版本 %d (資料庫為 %d),而此角色不能建立資料表 (%s): 請以擁有日誌的角色執行一次 certbatch,或授予此角色該結構描述的 CREATE 權限 (見 README)"},
	"close journal %s: %w":                               {"저널 %s 닫기: %w", "關閉日誌 %s: %w"},
	"journal is in use by another certbatch process":     {"다른 certbatch 프로세스가 저널을 쓰고 있습니다", "另一個 certbatch 程序正在使用日誌"},
	"journal is not a valid certbatch journal":           {"올바른 certbatch 저널이 아닙니다", "不是有效的 certbatch 日誌"},
	"journal is open read-only":                          {"저널이 읽기 전용으로 열려 있습니다", "日誌以唯讀方式開啟"},
	"journal: %s: %w or already answered":                {"저널: %s: %w 또는 이미 응답됨", "日誌: %s: %w 或已回應"},
	"journal: %s: %w":                                    {"저널: %s: %w", "日誌: %s: %w"},
	"journal: %s: row %d: %w: ID %q":                     {"저널: %s: %d행: %w: ID %q", "日誌: %s: 第 %d 列: %w: ID %q"},
	"journal: %s: row %d: %w: cells: %v":                 {"저널: %s: %d행: %w: 칸: %v", "日誌: %s: 第 %d 列: %w: 儲存格: %v"},
	"journal: %s: unknown action":                        {"저널: %s: 알 수 없는 작업", "日誌: %s: 未知的動作"},
	"journal: batch %q: %w":                              {"저널: 배치 %q: %w", "日誌: 批次 %q: %w"},
	"journal: begin batch: %w":                           {"저널: 배치 시작: %w", "日誌: 開始批次: %w"},
	"journal: copy: %w":                                  {"저널: 복사: %w", "日誌: 複製: %w"},
	"journal: entry %d: %w":                              {"저널: 항목 %d: %w", "日誌: 紀錄 %d: %w"},
	"journal: find row %d: %w":                           {"저널: %d행 찾기: %w", "日誌: 尋找第 %d 列: %w"},
	"journal: finish batch %s: %w":                       {"저널: 배치 %s 마치기: %w", "日誌: 結束批次 %s: %w"},
	"journal: finish batch %s: unknown status %q":        {"저널: 배치 %s 마치기: 알 수 없는 상태 %q", "日誌: 結束批次 %s: 未知的狀態 %q"},
	"journal: look up %s: %w":                            {"저널: %s 찾기: %w", "日誌: 查詢 %s: %w"},
	"journal: rate budget: %w":                           {"저널: 요청 한도: %w", "日誌: 請求上限: %w"},
	"journal: record action %d: invalid state %q":        {"저널: 작업 %d 기록: 잘못된 상태 %q", "日誌: 記錄動作 %d: 無效的狀態 %q"},
	"journal: record answer: entry %d is already %s":     {"저널: 응답 기록: 항목 %d은(는) 이미 %s 상태입니다", "日誌: 記錄回應: 紀錄 %d 已是 %s"},
	"journal: record answer: entry %d: %w":               {"저널: 응답 기록: 항목 %d: %w", "日誌: 記錄回應: 紀錄 %d: %w"},
	"journal: record answer: entry %d: invalid state %q": {"저널: 응답 기록: 항목 %d: 잘못된 상태 %q", "日誌: 記錄回應: 紀錄 %d: 無效的狀態 %q"},
	"journal: record intent: row %d: empty identity":     {"저널: 주문 의도 기록: %d행: 식별 정보가 비어 있음", "日誌: 記錄訂購意圖: 第 %d 列: 身分為空"},
	"journal: record renewal intent: row %d: empty identity or order": {
		"저널: 갱신 의도 기록: %d행: 식별 정보 또는 주문이 비어 있음", "日誌: 記錄續約意圖: 第 %d 列: 身分或訂單為空"},
	"journal: store rows: batch %s row %d: %w": {"저널: 행 저장: 배치 %s %d행: %w", "日誌: 儲存列: 批次 %s 第 %d 列: %w"},
	"not found in the journal":                 {"저널에 없습니다", "不在日誌中"},
	"only a PostgreSQL journal keeps a rate budget shared by hosts": {
		"여러 호스트가 나눠 쓰는 요청 한도는 PostgreSQL 저널만 보관합니다", "只有 PostgreSQL 日誌會保存多部主機共用的請求上限"},
	"open journal %s: %w (pid %d, this process)": {"저널 %s 열기: %w (pid %d, 이 프로세스)", "開啟日誌 %s: %w (pid %d,即此程序)"},
	"open journal %s: %w%s":                      {"저널 %s 열기: %w%s", "開啟日誌 %s: %w%s"},
	"open journal %s: %w: it holds the orders of %s, and this run talks to %s; use another database (or schema) for %s": {
		"저널 %s 열기: %w: 이 저널에는 %s의 주문이 있는데 이번 실행은 %s에 연결합니다. %s에는 다른 데이터베이스(또는 스키마)를 쓰십시오",
		"開啟日誌 %s: %w: 它保存的是 %s 的訂單,而此次執行連線到 %s;請為 %s 使用其他資料庫 (或結構描述)"},
	"open journal %s: lock: %w": {"저널 %s 열기: 잠금: %w", "開啟日誌 %s: 鎖定: %w"},
	"open journal %s: not a regular file (%s): a journal must be a file": {
		"저널 %s 열기: 일반 파일이 아닙니다(%s). 저널은 파일이어야 합니다", "開啟日誌 %s: 不是一般檔案 (%s): 日誌必須是檔案"},
	"open journal %s: the file has %d names (hard links); SQLite keeps its write-ahead log per name, so two names could lose orders: remove the other links": {
		"저널 %s 열기: 파일 이름이 %d개입니다(하드 링크). SQLite는 이름마다 WAL을 따로 두므로 주문을 잃을 수 있습니다. 다른 링크를 지우십시오",
		"開啟日誌 %s: 此檔案有 %d 個名稱 (硬連結);SQLite 依名稱各自保存預寫日誌,兩個名稱可能遺失訂單: 請移除其他連結"},
	"open journal %s: the path must not contain '?' or '#'": {
		"저널 %s 열기: 경로에 '?'나 '#'이 들어 있으면 안 됩니다", "開啟日誌 %s: 路徑不可包含 '?' 或 '#'"},
	"open journal in memory: %w": {"메모리 저널 열기: %w", "開啟記憶體日誌: %w"},
	"open journal: the PostgreSQL URL cannot be read: %v": {
		"저널 열기: PostgreSQL URL을 해석할 수 없습니다: %v", "開啟日誌: 無法解析 PostgreSQL URL: %v"},
	"schema version %d (%s): %w":       {"스키마 버전 %d (%s): %w", "結構描述版本 %d (%s): %w"},
	"schema version %d: record it: %w": {"스키마 버전 %d: 기록: %w", "結構描述版本 %d: 記錄: %w"},
	"the journal belongs to another CertCentral endpoint": {
		"저널이 다른 CertCentral 엔드포인트의 것입니다", "日誌屬於另一個 CertCentral 端點"},
	"the journal's database refused the connection":   {"저널 데이터베이스가 연결을 거부했습니다", "日誌的資料庫拒絕連線"},
	"the journal's database server cannot be reached": {"저널 데이터베이스 서버에 연결할 수 없습니다", "無法連線日誌的資料庫伺服器"},
}

// keysMsgs are the errors of generated keys and of the rate budget
// (packages keys and ratelimit).
var keysMsgs = map[string][2]string{
	"a rate budget shared by processes needs flock, which this platform does not have": {
		"여러 프로세스가 나눠 쓰는 요청 한도에는 flock이 필요한데 이 플랫폼에는 없습니다", "多個程序共用的請求上限需要 flock,而此平台沒有"},
	"age identity %s: %w":                       {"age 신원 파일 %s: %w", "age 身分檔 %s: %w"},
	"age identity %s: no X25519 identity in it": {"age 신원 파일 %s: X25519 신원이 없습니다", "age 身分檔 %s: 其中沒有 X25519 身分"},
	"age identity: %w":                          {"age 신원: %w", "age 身分: %w"},
	"age recipient: %w (want age1...)":          {"age 수신자: %w (age1...이어야 합니다)", "age 收件者: %w (應為 age1...)"},
	"destroy key %s: %w":                        {"키 %s 파기: %w", "銷毀金鑰 %s: %w"},
	"duration %q: shorter than 1ms":             {"기간 %q: 1ms보다 짧습니다", "期間 %q: 短於 1ms"},
	"duration %q: want a number with a unit ms, s, m or h, such as 5s or 3m": {
		"기간 %q: 5s나 3m처럼 단위(ms, s, m, h)가 붙은 수를 쓰십시오", "期間 %q: 請使用帶單位 (ms、s、m 或 h) 的數字,例如 5s 或 3m"},
	"duration %q: want a positive number up to 1000h with a unit ms, s, m or h": {
		"기간 %q: 단위(ms, s, m, h)가 붙은 1000h 이하의 양수를 쓰십시오", "期間 %q: 請使用帶單位 (ms、s、m 或 h)、不超過 1000h 的正數"},
	"empty; want REQUESTS/DURATION such as 100/5s": {"비어 있습니다. 100/5s처럼 요청 수/기간을 쓰십시오", "為空;請使用 請求數/期間,例如 100/5s"},
	"fingerprint: %w":                    {"지문: %w", "指紋: %w"},
	"generate key: unknown algorithm %q": {"키 생성: 알 수 없는 알고리즘 %q", "產生金鑰: 未知的演算法 %q"},
	"it is a symbolic link: refused (remove it; certbatch creates the file itself)": {
		"심볼릭 링크이므로 거부합니다(지우십시오. certbatch가 파일을 직접 만듭니다)", "這是符號連結: 拒絕 (請移除;certbatch 會自行建立檔案)"},
	"key store: %w":                                 {"키 보관소: %w", "金鑰庫: %w"},
	"make certificate signing request: %w":          {"인증서 서명 요청 만들기: %w", "建立憑證簽章要求: %w"},
	"no '/'; want REQUESTS/DURATION such as 100/5s": {"'/'가 없습니다. 100/5s처럼 요청 수/기간을 쓰십시오", "沒有 '/';請使用 請求數/期間,例如 100/5s"},
	"no identity given can decrypt it":              {"지정한 신원으로는 복호화할 수 없습니다", "指定的身分都無法解密"},
	"not a readable rate budget":                    {"읽을 수 있는 요청 한도 파일이 아닙니다", "不是可讀取的請求上限檔"},
	"not a regular file (%s): refused":              {"일반 파일이 아니므로(%s) 거부합니다", "不是一般檔案 (%s): 拒絕"},
	"open key %s: %w":                               {"키 %s 열기: %w", "開啟金鑰 %s: %w"},
	"open key %s: not a signing key":                {"키 %s 열기: 서명 키가 아닙니다", "開啟金鑰 %s: 不是簽章金鑰"},
	"open rate budget %s: %w":                       {"요청 한도 파일 %s 열기: %w", "開啟請求上限檔 %s: %w"},
	"parse rate limit %q: part %d %q: %w":           {"요청 한도 %q 해석: %d번째 부분 %q: %w", "解析請求上限 %q: 第 %d 部分 %q: %w"},
	"parse rate limit: empty; want e.g. 100/5s,1000/3m, or none": {
		"요청 한도 해석: 비어 있습니다. 100/5s,1000/3m 또는 none처럼 쓰십시오", "解析請求上限: 為空;請使用例如 100/5s,1000/3m 或 none"},
	"password: %w": {"비밀번호: %w", "密碼: %w"},
	"pkcs12: %w":   {"pkcs12: %w", "pkcs12: %w"},
	"pkcs12: the certificate does not carry this key": {"pkcs12: 인증서에 이 키가 들어 있지 않습니다", "pkcs12: 憑證不含此金鑰"},
	"pkcs12: the file just made does not hold its key and certificate": {
		"pkcs12: 방금 만든 파일에 키와 인증서가 들어 있지 않습니다", "pkcs12: 剛建立的檔案不含其金鑰與憑證"},
	"pkcs12: the file just made does not open: %w": {"pkcs12: 방금 만든 파일이 열리지 않습니다: %w", "pkcs12: 剛建立的檔案無法開啟: %w"},
	"pkcs12: unknown encoding %q":                  {"pkcs12: 알 수 없는 인코딩 %q", "pkcs12: 未知的編碼 %q"},
	"rate budget %s: %s: %w":                       {"요청 한도 %s: %s: %w", "請求上限 %s: %s: %w"},
	"rate budget %s: %s: closed":                   {"요청 한도 %s: %s: 닫힘", "請求上限 %s: %s: 已關閉"},
	"rate budget %s: %s: lock: %w":                 {"요청 한도 %s: %s: 잠금: %w", "請求上限 %s: %s: 鎖定: %w"},
	"rate limit: %w":                               {"요청 한도: %w", "請求上限: %w"},
	"request count %q is not a whole number from 1 to %d": {
		"요청 수 %q은(는) 1에서 %d 사이의 정수가 아닙니다", "請求數 %q 不是 1 到 %d 之間的整數"},
	"store key %s: %w": {"키 %s 보관: %w", "保存金鑰 %s: %w"},
	"store key: no age recipient to encrypt it to": {"키 보관: 암호화할 age 수신자가 없습니다", "保存金鑰: 沒有可用於加密的 age 收件者"},
	"sync %s: %w": {"%s 동기화: %w", "同步 %s: %w"},
	"the file belongs to user %d, not to you: refused": {
		"파일의 소유자가 사용자 %d이고 본인이 아니므로 거부합니다", "檔案屬於使用者 %d,不屬於您: 拒絕"},
	"the file has %d names (hard links): refused (remove it; certbatch creates the file itself)": {
		"파일 이름이 %d개(하드 링크)이므로 거부합니다(지우십시오. certbatch가 파일을 직접 만듭니다)", "此檔案有 %d 個名稱 (硬連結): 拒絕 (請移除;certbatch 會自行建立檔案)"},
	"unknown key algorithm %q; use one of %s": {"알 수 없는 키 알고리즘 %q입니다. 다음 중 하나를 쓰십시오: %s", "未知的金鑰演算法 %q;請使用下列之一: %s"},
}

// opMsgs are the CertCentral client's operations, which its errors name
// first ("get order 100003: after 3 attempts: ...").
var opMsgs = map[string][2]string{
	"%s: outcome unknown, the order may or may not exist: %s": {
		"%s: 결과를 알 수 없습니다. 주문이 만들어졌을 수도 있고 아닐 수도 있습니다: %s", "%s: 結果不明,訂單可能已建立,也可能沒有: %s"},
	"cancel order %d":                            {"주문 %d 취소", "取消訂單 %d"},
	"download certificate %d as %s":              {"인증서 %d을(를) %s 형식으로 다운로드", "以 %[2]s 格式下載憑證 %[1]d"},
	"download the certificate of order %d as %s": {"주문 %d의 인증서를 %s 형식으로 다운로드", "以 %[2]s 格式下載訂單 %[1]d 的憑證"},
	"get container %d":                           {"컨테이너 %d 조회", "查詢容器 %d"},
	"get order %d":                               {"주문 %d 조회", "查詢訂單 %d"},
	"get organization %d":                        {"조직 %d 조회", "查詢組織 %d"},
	"get request %d":                             {"요청 %d 조회", "查詢請求 %d"},
	"get the API key's user":                     {"API 키의 사용자 조회", "查詢 API 金鑰的使用者"},
	"get the email validation of order %d":       {"주문 %d의 이메일 확인 상태 조회", "查詢訂單 %d 的電子郵件驗證"},
	"get the expiring orders report":             {"만료 예정 주문 보고서 조회", "查詢即將到期訂單報表"},
	"list orders (offset %d)":                    {"주문 목록 조회(오프셋 %d)", "列出訂單 (位移 %d)"},
	"list orders expiring %s to %s (offset %d)":  {"%s~%s에 만료되는 주문 목록 조회(오프셋 %d)", "列出 %s 至 %s 到期的訂單 (位移 %d)"},
	"list products":                              {"제품 목록 조회", "列出產品"},
	"list requests (offset %d)":                  {"요청 목록 조회(오프셋 %d)", "列出請求 (位移 %d)"},
	"list status changes (offset %d)":            {"상태 변경 목록 조회(오프셋 %d)", "列出狀態變更 (位移 %d)"},
	"list the orders of %s":                      {"%s의 주문 목록 조회", "列出 %s 的訂單"},
	"place order %s":                             {"%s 주문", "訂購 %s"},
	"reject request %d":                          {"요청 %d 거부", "拒絕請求 %d"},
	"revoke order %d":                            {"주문 %d 폐기", "撤銷訂單 %d"},
	"set request %d to %s":                       {"요청 %d을(를) %s(으)로 변경", "將請求 %d 設為 %s"},
}
