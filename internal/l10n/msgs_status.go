package l10n

// statusMsgs are the messages of status, download and show: what each
// order waits for, the downloads and the .p12 hand-over.
var statusMsgs = map[string][2]string{
	"status: %d rows, orders by status: %s. Results: %s\n": {
		"status: %d행, 상태별 주문: %s. 결과 파일: %s\n", "status: %d 列,各狀態的訂單: %s。結果檔: %s\n"},
	"%s %d (count of a status)": {"%s %d", "%s %d"},
	"none":                      {"없음", "無"},
	"status: %s is unchanged: %w": {
		"status: %s은(는) 바뀌지 않았습니다: %w", "status: %s 未變更: %w"},
	"%s holds no orders to follow: none of its rows has an order ID or an unanswered request (the results of a dry run, or a run that ordered nobody)": {
		"%s에는 따라갈 주문이 없습니다. 주문 ID나 응답을 받지 못한 요청이 있는 행이 없습니다(점검 결과이거나 아무도 주문하지 않은 실행의 결과)",
		"%s 中沒有可追蹤的訂單: 沒有任何一列有訂單 ID 或未回應的請求 (試跑的結果,或未訂購任何人的執行結果)"},
	"--download: %v": {"--download: %v", "--download: %v"},
	"--format must be pem or p7b, not %q": {
		"--format은 pem 또는 p7b여야 합니다(%q 아님)", "--format 必須是 pem 或 p7b,而不是 %q"},
	"%d orders are still not final after %s": {
		"%[2]s이(가) 지나도록 최종 상태가 아닌 주문이 %[1]d건 있습니다", "經過 %[2]s 後仍有 %[1]d 筆訂單未達最終狀態"},
	"stopped waiting: %d orders wait for an approver, nothing changes until someone approves: run certbatch approve %s": {
		"기다리기를 멈췄습니다. 주문 %d건이 승인자를 기다리며, 누군가 승인할 때까지 바뀌지 않습니다. certbatch approve %s를 실행하십시오",
		"已停止等待: %d 筆訂單等待核准者,在有人核准之前不會有任何變化;請執行 certbatch approve %s"},
	"what the waiting orders wait for could not be read": {"대기 중인 주문이 무엇을 기다리는지 읽지 못했습니다", "無法讀取等待中的訂單在等什麼"},
	"status refreshed": {"상태를 새로 읽었습니다", "已更新狀態"},
	"CertCentral did not answer: polling again until the deadline": {
		"CertCentral이 응답하지 않았습니다: 마감 시각까지 다시 조회합니다", "CertCentral 未回應: 會持續查詢到期限為止"},
	"still failing at the end of --wait %s (%d failed polls in a row): %w": {
		"--wait %s이(가) 끝날 때까지 계속 실패했습니다(연속 %d회 조회 실패): %w", "--wait %s 結束時仍然失敗 (連續 %d 次查詢失敗): %w"},
	"status of order %d: %w":           {"주문 %d의 상태: %w", "訂單 %d 的狀態: %w"},
	"status: %w":                       {"상태: %w", "狀態: %w"},
	"status: %s":                       {"상태: %s", "狀態: %s"},
	"email validation of order %d: %w": {"주문 %d의 이메일 확인: %w", "訂單 %d 的電子郵件驗證: %w"},

	// What an order waits for (status).
	"%d orders wait for an approver: certbatch approve %s (or approve them in CertCentral)\n": {
		"주문 %d건이 승인자를 기다립니다: certbatch approve %s (또는 CertCentral에서 승인)\n",
		"%d 筆訂單等待核准者: certbatch approve %s (或在 CertCentral 核准)\n"},
	"%d orders wait for the person to validate their mailbox from DigiCert's email\n": {
		"주문 %d건이 본인이 DigiCert의 이메일로 메일함을 확인하기를 기다립니다\n",
		"%d 筆訂單等待本人透過 DigiCert 的電子郵件驗證信箱\n"},
	"%d orders wait for the person to pick up the certificate in the browser\n": {
		"주문 %d건이 본인이 브라우저에서 인증서를 받기를 기다립니다\n",
		"%d 筆訂單等待本人在瀏覽器中領取憑證\n"},
	"%d orders wait for DigiCert's validation (nothing to do here)\n": {
		"주문 %d건이 DigiCert의 검증을 기다립니다(여기서 할 일은 없습니다)\n",
		"%d 筆訂單等待 DigiCert 驗證 (此處無需動作)\n"},
	"    row %-5d %-36s order %-10d %s": {"    행 %-5d %-36s 주문 %-10d %s", "    列 %-5d %-36s 訂單 %-10d %s"},
	"    ... and %d more\n":             {"    ... 외 %d건\n", "    ... 另有 %d 筆\n"},
	" ... and %d more":                  {" ... 외 %d건", " ... 另有 %d 筆"},
	"--resend: no order waits for its person's mailbox validation\n": {
		"--resend: 본인의 메일함 확인을 기다리는 주문이 없습니다\n", "--resend: 沒有等待本人驗證信箱的訂單\n"},
	"--resend: DigiCert documents no API that sends a client certificate's validation email again; in CertCentral, open each order (Certificates > Orders > order number) and resend the email from its Email Addresses section:": {
		"--resend: DigiCert는 클라이언트 인증서의 확인 이메일을 다시 보내는 API를 문서화하지 않았습니다. CertCentral에서 각 주문(인증서 > 주문 > 주문 번호)을 열고 이메일 주소 섹션에서 이메일을 다시 보내십시오:",
		"--resend: DigiCert 未提供重新寄送用戶端憑證驗證電子郵件的 API;請在 CertCentral 開啟每筆訂單 (憑證 > 訂單 > 訂單編號),從其電子郵件地址區段重新寄送:"},
	"waits for an approver (an administrator or manager approves its request)": {
		"승인자를 기다림(관리자 또는 매니저가 요청을 승인)", "等待核准者 (由管理員或經理核准其請求)"},
	"waits for %s to validate the mailbox (DigiCert emailed it on %s)": {
		"%s의 메일함 확인을 기다림(DigiCert가 %s에 이메일을 보냄)", "等待 %s 驗證信箱 (DigiCert 已於 %s 寄出電子郵件)"},
	"waits for %s to validate the mailbox": {"%s의 메일함 확인을 기다림", "等待 %s 驗證信箱"},
	"waits for the person to pick up the certificate in the browser (DigiCert's email)": {
		"본인이 브라우저에서 인증서를 받기를 기다림(DigiCert의 이메일)", "等待本人在瀏覽器中領取憑證 (DigiCert 的電子郵件)"},
	"waits for DigiCert (the email validation could not be read: %s)": {
		"DigiCert를 기다림(이메일 확인 상태를 읽지 못함: %s)", "等待 DigiCert (無法讀取電子郵件驗證狀態: %s)"},
	"waits for DigiCert's organization validation": {"DigiCert의 조직 검증을 기다림", "等待 DigiCert 的組織驗證"},
	"waits for DigiCert's validation (the mailboxes are validated)": {
		"DigiCert의 검증을 기다림(메일함은 확인됨)", "等待 DigiCert 驗證 (信箱已驗證)"},
	"the person":       {"본인", "本人"},
	"%s (and %d more)": {"%s 외 %d명", "%s (另有 %d 人)"},

	// Downloads and the .p12 hand-over.
	"download: %d written (%d from the order's own answer), %d already there, %d not issued yet, %d with no certificate, %d conflicts, %d failed. Directory: %s\n": {
		"download: %d개 저장(%d개는 주문 응답에서), %d개는 이미 있음, %d개는 아직 발급 안 됨, %d개는 인증서 없음, 충돌 %d개, 실패 %d개. 폴더: %s\n",
		"download: 已寫入 %d 個 (%d 個取自訂單本身的回應),%d 個已存在,%d 個尚未核發,%d 個沒有憑證,%d 個衝突,%d 個失敗。資料夾: %s\n"},
	"status unknown": {"상태 알 수 없음", "狀態不明"},
	"row %d: order %d is %s: not issued yet\n": {
		"%d행: 주문 %d은(는) %s 상태입니다: 아직 발급되지 않았습니다\n", "第 %d 列: 訂單 %d 為 %s: 尚未核發\n"},
	"row %d: order %d is %s: no certificate to download\n": {
		"%d행: 주문 %d은(는) %s 상태입니다: 내려받을 인증서가 없습니다\n", "第 %d 列: 訂單 %d 為 %s: 沒有可下載的憑證\n"},
	"row %d: order %d: %s\n": {"%d행: 주문 %d: %s\n", "第 %d 列: 訂單 %d: %s\n"},
	"p12: %d written, %d already handed over, %d not made. Passwords: %s (send them apart from the .p12 files)\n": {
		"p12: %d개 저장, %d개는 이미 전달됨, %d개는 만들지 못함. 비밀번호: %s (.p12 파일과 따로 보내십시오)\n",
		"p12: 已寫入 %d 個,%d 個已交付,%d 個未產生。密碼: %s (請與 .p12 檔分開傳送)\n"},
	"%d generated keys could not be decrypted: pass --key-identity FILE with the age identity they were encrypted to": {
		"생성된 키 %d개를 복호화하지 못했습니다. 암호화에 쓴 age 신원 파일을 --key-identity FILE로 지정하십시오",
		"有 %d 把產生的金鑰無法解密: 請以 --key-identity FILE 指定加密時使用的 age 身分檔"},
	"%d .p12 files are not written: run again": {".p12 파일 %d개를 쓰지 못했습니다. 다시 실행하십시오", "有 %d 個 .p12 檔未寫入: 請再執行一次"},
	"%d certificates are not in %s yet: run again later": {
		"인증서 %d개가 아직 %s에 없습니다. 나중에 다시 실행하십시오", "有 %d 張憑證尚未存入 %s: 請稍後再執行"},
	"%s already holds another certificate: left as it is (move it away to download this one)": {
		"%s에 다른 인증서가 있어 그대로 두었습니다(이 인증서를 내려받으려면 그 파일을 옮기십시오)",
		"%s 已有另一張憑證: 保持原狀 (若要下載此憑證,請先移走該檔)"},
	"%s already holds another file: left as it is (move it away to hand this key over)": {
		"%s에 다른 파일이 있어 그대로 두었습니다(이 키를 전달하려면 그 파일을 옮기십시오)",
		"%s 已有另一個檔案: 保持原狀 (若要交付此金鑰,請先移走該檔)"},
	"%v (it is encrypted to %s): pass the matching --key-identity FILE": {
		"%v (%s(으)로 암호화됨): 맞는 --key-identity FILE을 지정하십시오", "%v (以 %s 加密): 請指定相符的 --key-identity FILE"},
	"handed over on %s as %s; the key was destroyed then (no second .p12 can be made)": {
		"%s에 %s(으)로 전달했습니다. 그때 키를 파기했으므로 .p12를 다시 만들 수 없습니다", "已於 %s 以 %s 交付;金鑰當時已銷毀 (無法再產生 .p12)"},
	"the certificate of order %d does not carry the key certbatch generated for this person (was the order placed elsewhere?): no .p12; the key stays in %s": {
		"주문 %d의 인증서에 certbatch가 이 사람을 위해 생성한 키가 들어 있지 않습니다(다른 곳에서 주문했습니까?). .p12는 만들지 않으며 키는 %s에 그대로 둡니다",
		"訂單 %d 的憑證不含 certbatch 為此人產生的金鑰 (訂單是否在別處下的?): 不產生 .p12;金鑰保留在 %s"},
	"the encrypted key %s is missing: no .p12 can be made; revoke the certificate of order %d and order again": {
		"암호화된 키 %s이(가) 없어 .p12를 만들 수 없습니다. 주문 %d의 인증서를 폐지하고 다시 주문하십시오",
		"加密的金鑰 %s 不見了: 無法產生 .p12;請撤銷訂單 %d 的憑證並重新訂購"},
	"the download holds no certificate": {"내려받은 내용에 인증서가 없습니다", "下載的內容中沒有憑證"},
	"read: %s":                          {"읽기: %s", "讀取: %s"},
	"write: %s":                         {"쓰기: %s", "寫入: %s"},
	"download: %w":                      {"download: %w", "download: %w"},
	"download: format %q: want pem or p7b": {
		"download: 형식 %q: pem 또는 p7b여야 합니다", "download: 格式 %q: 必須是 pem 或 p7b"},
	"no key folder: the key method generate needs one": {"키 폴더가 없습니다: 키 방식 generate에는 키 폴더가 필요합니다", "沒有金鑰資料夾: 金鑰方式 generate 需要一個"},
	"row %d: %w":              {"%d행: %w", "第 %d 列: %w"},
	"passwords file %s: %w":   {"비밀번호 파일 %s: %w", "密碼檔 %s: %w"},
	"passwords file: %w":      {"비밀번호 파일: %w", "密碼檔: %w"},
	"journal not updated: %v": {"저널을 갱신하지 못했습니다: %v", "日誌未更新: %v"},

	// show: the table's heading.
	"ROW\tOUTCOME\tWHO\tPRODUCT\tORDER\tREQUEST\tREQ.STATUS\tORDER.STATUS\tCERTIFICATE\tNOTE / ERROR\n": {
		"행\t결과\t대상자\t제품\t주문\t요청\t요청 상태\t주문 상태\t인증서\t처리 내용 / 오류\n",
		"列\t結果\t對象\t產品\t訂單\t請求\t請求狀態\t訂單狀態\t憑證\t說明 / 錯誤\n"},
}

// statusOne are the status messages whose English changes for one.
var statusOne = map[string]one{
	"status: %d rows, orders by status: %s. Results: %s\n": {1, "status: %d row, orders by status: %s. Results: %s\n"},
	"%d orders are still not final after %s":               {1, "%d order is still not final after %s"},
	"stopped waiting: %d orders wait for an approver, nothing changes until someone approves: run certbatch approve %s": {1,
		"stopped waiting: %d order waits for an approver, nothing changes until someone approves: run certbatch approve %s"},
	"still failing at the end of --wait %s (%d failed polls in a row): %w": {2, "still failing at the end of --wait %s (%d failed poll in a row): %w"},
	"%d orders wait for an approver: certbatch approve %s (or approve them in CertCentral)\n": {1,
		"%d order waits for an approver: certbatch approve %s (or approve them in CertCentral)\n"},
	"%d orders wait for the person to validate their mailbox from DigiCert's email\n": {1,
		"%d order waits for the person to validate their mailbox from DigiCert's email\n"},
	"%d orders wait for the person to pick up the certificate in the browser\n": {1,
		"%d order waits for the person to pick up the certificate in the browser\n"},
	"%d orders wait for DigiCert's validation (nothing to do here)\n": {1, "%d order waits for DigiCert's validation (nothing to do here)\n"},
	"download: %d written (%d from the order's own answer), %d already there, %d not issued yet, %d with no certificate, %d conflicts, %d failed. Directory: %s\n": {6,
		"download: %d written (%d from the order's own answer), %d already there, %d not issued yet, %d with no certificate, %d conflict, %d failed. Directory: %s\n"},
	"%d generated keys could not be decrypted: pass --key-identity FILE with the age identity they were encrypted to": {1,
		"%d generated key could not be decrypted: pass --key-identity FILE with the age identity they were encrypted to"},
	"%d .p12 files are not written: run again":           {1, "%d .p12 file is not written: run again"},
	"%d certificates are not in %s yet: run again later": {1, "%d certificate is not in %s yet: run again later"},
}

// noteMsgs are the notes download writes on a row (replaced, in any
// language, by the next download's).
var noteMsgs = map[string][2]string{
	"downloaded: %s": {"내려받음: %s", "已下載: %s"},
	"p12: %s":        {"p12: %s", "p12: %s"},
}
