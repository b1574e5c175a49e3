package l10n

// cliMsgs are the messages every command shares (package cli): the
// final error and its hints, the exit code table, usage errors of the
// common flags, the journal and key folders, stops, and log records.
var cliMsgs = map[string][2]string{
	"certbatch: error: %s\n": {"certbatch: 오류: %s\n", "certbatch: 錯誤: %s\n"},
	"certbatch: hint: %s\n":  {"certbatch: 도움말: %s\n", "certbatch: 提示: %s\n"},
	"certbatch: %s\n":        {"certbatch: %s\n", "certbatch: %s\n"},
	"certbatch: interrupted: every row has a result; rows not sent are marked failed, run again to finish\n": {
		"certbatch: 중단됨: 모든 행에 결과가 있습니다. 보내지 않은 행은 실패로 표시했으니 다시 실행해 마무리하십시오\n",
		"certbatch: 已中斷: 每一列都有結果;未送出的列標示為失敗,請再執行一次以完成\n"},
	"certbatch: %s: no new requests; finishing those in flight and writing results (a second Ctrl-C or signal stops waiting for them)\n": {
		"certbatch: %s: 새 요청은 보내지 않습니다. 진행 중인 요청을 마무리하고 결과를 씁니다(Ctrl-C나 신호를 한 번 더 보내면 기다리지 않습니다)\n",
		"certbatch: %s: 不再送出新請求;正在完成進行中的請求並寫入結果 (再按一次 Ctrl-C 或再送一次信號即不再等待)\n"},
	"certbatch: %s again: not waiting for answers in flight (they are checked at DigiCert by the next run); writing results\n": {
		"certbatch: 다시 %s: 진행 중인 요청의 응답을 기다리지 않습니다(다음 실행이 DigiCert에서 확인합니다). 결과를 씁니다\n",
		"certbatch: 再次%s: 不再等待進行中請求的回應 (下次執行會向 DigiCert 查詢);正在寫入結果\n"},
	"certbatch: still writing results; kill -9 would lose them\n": {
		"certbatch: 아직 결과를 쓰는 중입니다. kill -9로 끝내면 결과를 잃습니다\n", "certbatch: 仍在寫入結果;kill -9 會使結果遺失\n"},
	"interrupted":          {"중단 요청", "中斷"},
	"terminated (SIGTERM)": {"종료 요청(SIGTERM)", "終止 (SIGTERM)"},
	"hangup (SIGHUP: the terminal or SSH session closed)": {
		"연결 끊김(SIGHUP: 터미널 또는 SSH 세션이 닫힘)", "掛斷 (SIGHUP: 終端機或 SSH 連線已關閉)"},
	"output closed (broken pipe)": {"출력이 닫힘(broken pipe)", "輸出已關閉 (broken pipe)"},

	// Hints after an error.
	"run 'certbatch --help' or 'certbatch <command> --help'": {
		"'certbatch --help' 또는 'certbatch <명령> --help'를 실행해 보십시오", "請執行 'certbatch --help' 或 'certbatch <指令> --help'"},
	"-v is --verbose (on commands that log); the version is 'certbatch --version'": {
		"-v는 --verbose입니다(로그를 남기는 명령). 버전은 'certbatch --version'으로 확인합니다", "-v 是 --verbose (適用於會記錄的指令);版本請用 'certbatch --version'"},
	"CertCentral refused the API key: check DIGICERT_API_KEY or --api-key-file, that the key is active, and that its role allows orders": {
		"CertCentral이 API 키를 거부했습니다. DIGICERT_API_KEY 또는 --api-key-file, 키가 활성 상태인지, 키의 역할이 주문을 허용하는지 확인하십시오",
		"CertCentral 拒絕了 API 金鑰:請檢查 DIGICERT_API_KEY 或 --api-key-file、金鑰是否有效,以及其角色是否允許訂購"},
	"CertCentral could not be reached or did not answer (network, DNS, timeout, a server error or its rate limit): run the same command again later; what was done is recorded": {
		"CertCentral에 연결하지 못했거나 응답이 없었습니다(네트워크, DNS, 시간 초과, 서버 오류 또는 요청 한도). 나중에 같은 명령을 다시 실행하십시오. 이미 한 일은 기록되어 있습니다",
		"無法連線 CertCentral 或其未回應 (網路、DNS、逾時、伺服器錯誤或請求上限):請稍後再執行相同指令;已完成的動作皆有記錄"},
	"another certbatch run uses this journal (--state); wait for it to finish, or use another journal for another batch of people": {
		"다른 certbatch 실행이 이 저널(--state)을 쓰고 있습니다. 끝날 때까지 기다리거나, 다른 사람들의 배치에는 다른 저널을 쓰십시오",
		"另一個 certbatch 執行正在使用此日誌 (--state);請等它結束,或為另一批人員使用其他日誌"},

	// The exit code table (cli.ExitCodes).
	"every row valid (validate) or ordered/skipped (submit), but for rows held back (hidden or struck through)": {
		"모든 행이 유효함(validate) 또는 주문됨/건너뜀(submit), 보류한 행(숨김 또는 취소선) 제외",
		"每一列皆有效 (validate) 或已訂購/略過 (submit),保留的列 (隱藏或刪除線) 除外"},
	"unexpected error": {"예기치 않은 오류", "非預期的錯誤"},
	"usage, configuration or unreadable input; missing API key; journal locked or corrupt, or its database refusing the role or bound to another endpoint; authentication refused": {
		"사용법, 설정 또는 읽을 수 없는 입력 파일, API 키 없음, 저널이 잠겼거나 손상됨, 저널 데이터베이스가 역할을 거부하거나 다른 엔드포인트에 묶여 있음, 인증 거부",
		"用法、設定或無法讀取的輸入檔;缺少 API 金鑰;日誌被鎖定或損毀,或其資料庫拒絕該角色或綁定到其他端點;驗證遭拒"},
	"some rows invalid or rejected: fix the data (download: a file holds another certificate; cancel: issued orders need revoking, or a cancel was refused)": {
		"일부 행이 잘못되었거나 거부됨: 데이터를 고치십시오(download: 다른 인증서가 든 파일이 있음, cancel: 발급된 주문은 폐지해야 하거나 취소가 거부됨)",
		"部分列無效或遭拒絕: 請修正資料 (download: 檔案中是另一張憑證;cancel: 已核發的訂單需撤銷,或取消遭拒)"},
	"some rows failed or uncertain, none invalid or rejected: run again later (status --wait, download: not issued yet; cancel: a cancel did not get through); any command: CertCentral unreachable, timing out, answering 5xx or 429, or the shared journal's database server unreachable": {
		"일부 행이 실패했거나 불확실하며 잘못되거나 거부된 행은 없음: 나중에 다시 실행하십시오(status --wait, download: 아직 발급 안 됨, cancel: 취소가 전달되지 않음). 모든 명령: CertCentral에 연결할 수 없음, 시간 초과, 5xx 또는 429 응답, 공유 저널의 데이터베이스 서버에 연결할 수 없음",
		"部分列失敗或不確定,且沒有無效或遭拒絕的列: 請稍後再執行 (status --wait、download: 尚未核發;cancel: 取消未送達);任何指令: 無法連線 CertCentral、逾時、回應 5xx 或 429,或無法連線共用日誌的資料庫伺服器"},
	"interrupted (Ctrl-C, SIGTERM, SIGHUP, or an output pipe closed); results are written for every row": {
		"중단됨(Ctrl-C, SIGTERM, SIGHUP 또는 출력 파이프가 닫힘). 모든 행의 결과를 기록함",
		"已中斷 (Ctrl-C、SIGTERM、SIGHUP 或輸出管線關閉);每一列的結果皆已寫出"},

	// Usage errors of the common flags.
	"--lang %q: not a language certbatch speaks (en, ko, zh-TW)": {
		"--lang %q: certbatch가 지원하지 않는 언어입니다(en, ko, zh-TW)", "--lang %q: certbatch 不支援此語言 (en、ko、zh-TW)"},
	"--concurrency must be at least 1": {"--concurrency는 1 이상이어야 합니다", "--concurrency 至少須為 1"},
	"--log-format must be text or json, not %q": {
		"--log-format은 text 또는 json이어야 합니다(%q 아님)", "--log-format 必須是 text 或 json,而不是 %q"},
	"--rate-limit: %v":         {"--rate-limit: %v", "--rate-limit: %v"},
	"%v":                       {"%v", "%v"},
	"API key file %s is empty": {"API 키 파일 %s이(가) 비어 있습니다", "API 金鑰檔 %s 是空的"},
	"read API key file: %v":    {"API 키 파일 읽기: %v", "讀取 API 金鑰檔: %v"},
	"no API key: set DIGICERT_API_KEY or pass --api-key-file FILE (or rehearse with --sandbox)": {
		"API 키가 없습니다. DIGICERT_API_KEY를 설정하거나 --api-key-file FILE을 지정하십시오(또는 --sandbox로 연습하십시오)",
		"沒有 API 金鑰: 請設定 DIGICERT_API_KEY 或指定 --api-key-file FILE (或用 --sandbox 演練)"},
	"not confirmed: nothing was sent": {"확인하지 않았습니다. 아무것도 보내지 않았습니다", "未確認: 未送出任何內容"},
	"read template: %w":               {"템플릿 읽기: %w", "讀取範本: %w"},
	"template %s: %w":                 {"템플릿 %s: %w", "範本 %s: %w"},
	"start sandbox: %w":               {"샌드박스 시작: %w", "啟動沙箱: %w"},
	"rate budget: %v (pass --journal FILE in a folder you can write)": {
		"요청 한도 공유 파일: %v (쓸 수 있는 폴더의 --journal FILE을 지정하십시오)", "請求上限共用檔: %v (請指定位於可寫入資料夾的 --journal FILE)"},
	"the rate budget shared through the journal: %w": {"저널로 공유하는 요청 한도: %w", "透過日誌共用的請求上限: %w"},
	"DigiCert deprecated %s on %s; its successor is %s (certbatch still orders %s: DigiCert still accepts it)": {
		"DigiCert는 %[2]s에 %[1]s을(를) 단종했습니다. 후속 제품은 %[3]s입니다(DigiCert가 아직 받아 주므로 certbatch는 %[4]s을(를) 계속 주문합니다)",
		"DigiCert 已於 %[2]s 停售 %[1]s;其後繼產品為 %[3]s (DigiCert 仍接受,因此 certbatch 仍會訂購 %[4]s)"},
	"certbatch: new journal %s: no earlier orders are known to it\n": {
		"certbatch: 새 저널 %s: 이전 주문을 알지 못합니다\n", "certbatch: 新日誌 %s: 其中沒有任何先前的訂單\n"},
	"validating": {"검사 중", "驗證中"},
	"ordering":   {"주문 중", "訂購中"},
	"rows":       {"행", "列"},
	"orders":     {"건", "筆"},
	"%s (paused by the API's rate limit until %s)": {"%s (API 요청 한도로 %s까지 일시 중지)", "%s (因 API 請求上限暫停至 %s)"},

	// The journal and the state folder (cli).
	"%s %s and %s name two journals (%s, %s): give one": {
		"%s %s와(과) %s이(가) 서로 다른 저널을 가리킵니다(%s, %s). 하나만 지정하십시오", "%s %s 與 %s 指向兩個日誌 (%s、%s):請只指定一個"},
	"the environment variables": {"환경 변수", "環境變數"},
	"the flags":                 {"플래그", "旗標"},
	"--state %s: a journal must be a file, so that what is ordered is remembered": {
		"--state %s: 주문한 내용을 기억하려면 저널은 파일이어야 합니다", "--state %s: 日誌必須是檔案,才能記住訂購了什麼"},
	"a journal of an earlier certbatch is in this folder (%s); journals now live in %s, one per endpoint: move it there (mv %s %s) or pass --state %s": {
		"이 폴더에 이전 버전 certbatch의 저널이 있습니다(%s). 이제 저널은 엔드포인트마다 하나씩 %s에 둡니다. 그곳으로 옮기거나(mv %s %s) --state %s를 지정하십시오",
		"此資料夾中有舊版 certbatch 的日誌 (%s);日誌現在放在 %s,每個端點一個: 請移過去 (mv %s %s) 或指定 --state %s"},
	"no journal at %s (pass --journal or --state, or set CERTBATCH_JOURNAL)": {
		"%s에 저널이 없습니다(--journal 또는 --state를 지정하거나 CERTBATCH_JOURNAL을 설정하십시오)", "%s 沒有日誌 (請指定 --journal 或 --state,或設定 CERTBATCH_JOURNAL)"},
	"no journal in %s yet (pass --journal or --state)": {
		"%s에 아직 저널이 없습니다(--journal 또는 --state를 지정하십시오)", "%s 尚無日誌 (請指定 --journal 或 --state)"},
	"no state directory: set HOME or XDG_STATE_HOME, or pass --state FILE": {
		"상태 폴더가 없습니다. HOME 또는 XDG_STATE_HOME을 설정하거나 --state FILE을 지정하십시오", "沒有狀態資料夾: 請設定 HOME 或 XDG_STATE_HOME,或指定 --state FILE"},
	"several journals in %s (%s): pass --journal FILE (or --sandbox for the sandbox's)": {
		"%s에 저널이 여러 개 있습니다(%s). --journal FILE을 지정하십시오(샌드박스의 저널은 --sandbox)", "%s 中有多個日誌 (%s): 請指定 --journal FILE (沙箱的日誌則用 --sandbox)"},
	"open journal %s: %w": {"저널 %s 열기: %w", "開啟日誌 %s: %w"},

	// Generated keys (cli).
	"--escrow: %v":        {"--escrow: %v", "--escrow: %v"},
	"--key-identity: %v":  {"--key-identity: %v", "--key-identity: %v"},
	"--key-recipient: %v": {"--key-recipient: %v", "--key-recipient: %v"},
	"--passwords %s is inside %s: the passwords must travel apart from the .p12 files; choose a file elsewhere": {
		"--passwords %s이(가) %s 안에 있습니다. 비밀번호는 .p12 파일과 따로 전달해야 하니 다른 곳의 파일을 지정하십시오",
		"--passwords %s 位於 %s 內: 密碼必須與 .p12 檔分開交付;請選擇其他位置的檔案"},
	"certbatch: made the age identity %s (mode 0600): the generated keys are encrypted to it until handed over; keep it, or pass --key-recipient": {
		"certbatch: age 신원 파일 %s을(를) 만들었습니다(모드 0600). 생성된 키는 전달할 때까지 이것으로 암호화됩니다. 잘 보관하거나 --key-recipient를 지정하십시오",
		"certbatch: 已建立 age 身分檔 %s (權限 0600): 產生的金鑰在交付前以它加密;請妥善保存,或指定 --key-recipient"},
	"no folder for generated keys: %w": {"생성한 키를 둘 폴더가 없습니다: %w", "沒有存放產生金鑰的資料夾: %w"},

	// Log records.
	"using the built-in sandbox: nothing is bought": {"내장 샌드박스를 사용합니다: 아무것도 구매하지 않습니다", "使用內建沙箱: 不會購買任何東西"},
	"submission finished":                           {"제출을 마쳤습니다", "送出完成"},
	"order statuses not read after submitting; `certbatch status` reads them": {
		"제출 뒤 주문 상태를 읽지 못했습니다. `certbatch status`로 읽을 수 있습니다", "送出後未能讀取訂單狀態;`certbatch status` 會讀取"},
	"rate limited by CertCentral: pausing every request": {"CertCentral 요청 한도에 걸렸습니다: 모든 요청을 잠시 멈춥니다", "遭 CertCentral 限制請求速率: 暫停所有請求"},
	"rate limited by the API: all workers paused":        {"API 요청 한도에 걸렸습니다: 모든 작업을 잠시 멈춥니다", "遭 API 限制請求速率: 暫停所有工作"},
	"the certificate chain could not be kept; download fetches it again": {
		"인증서 체인을 보관하지 못했습니다. download가 다시 가져옵니다", "無法保存憑證鏈;download 會重新取得"},
	"the journal could not be read: the dry run does not say who would be skipped": {
		"저널을 읽지 못했습니다: 점검에서 건너뛸 사람을 알려 주지 못합니다", "無法讀取日誌: 試跑無法說明誰會被略過"},
	"the rate budget is not shared with other certbatch processes on this platform": {
		"이 플랫폼에서는 요청 한도를 다른 certbatch 프로세스와 나눠 쓰지 않습니다", "在此平台上,請求上限不會與其他 certbatch 程序共用"},
	"the rate budget is this run's alone: set HOME or XDG_STATE_HOME, or pass --journal FILE, to share it with other certbatch runs": {
		"요청 한도를 이 실행만 씁니다. 다른 certbatch 실행과 나눠 쓰려면 HOME 또는 XDG_STATE_HOME을 설정하거나 --journal FILE을 지정하십시오",
		"請求上限僅供此次執行使用: 若要與其他 certbatch 執行共用,請設定 HOME 或 XDG_STATE_HOME,或指定 --journal FILE"},
	"the shared rate budget was unreadable and starts again, paused for DigiCert's longest window": {
		"공유 요청 한도 파일을 읽을 수 없어 새로 시작하며, DigiCert의 가장 긴 시간 창만큼 멈춥니다",
		"共用的請求上限檔無法讀取,將重新開始,並暫停 DigiCert 最長的時間窗"},
	"the account could not be checked": {"계정을 확인하지 못했습니다", "無法檢查帳戶"},
	"journal not updated":              {"저널을 갱신하지 못했습니다", "日誌未更新"},
}

// cobraMsgs say the command-line errors of cobra and pflag (cli's
// errorText matches their English).
var cobraMsgs = map[string][2]string{
	"unknown flag: %s":                              {"알 수 없는 플래그: %s", "未知的旗標: %s"},
	"unknown shorthand flag: '%s' in %s":            {"알 수 없는 단축 플래그: '%s' (%s)", "未知的簡寫旗標: '%s' (於 %s)"},
	"flag needs an argument: %s":                    {"플래그에 값이 필요합니다: %s", "旗標需要一個值: %s"},
	"unknown command %q for %q":                     {"%[2]q에 알 수 없는 명령 %[1]q", "%[2]q 沒有指令 %[1]q"},
	"accepts %s arg(s), received %s":                {"인수를 %s개만 받는데 %s개를 받았습니다", "只接受 %s 個引數,卻收到 %s 個"},
	"requires at least %s arg(s), only received %s": {"인수가 %s개 이상 필요한데 %s개만 받았습니다", "至少需要 %s 個引數,只收到 %s 個"},
	"invalid argument %q for %q flag: %s":           {"%[2]q 플래그의 인수 %[1]q이(가) 잘못되었습니다: %[3]s", "%[2]q 旗標的引數 %[1]q 無效: %[3]s"},
}
