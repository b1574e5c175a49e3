package l10n

// resultsMsgs are the words of the results file (package results): the
// fixed columns' headers, the outcome words, the sheet names and the
// Summary sheet's labels. A results file is read back in every
// language, so no two of a kind may share a text (TestResultsWords).
var resultsMsgs = map[string][2]string{
	"results column: row":            {"행", "列"},
	"results column: outcome":        {"결과", "結果"},
	"results column: name":           {"이름", "姓名"},
	"results column: email":          {"이메일", "電子郵件"},
	"results column: note":           {"처리 내용", "處理說明"},
	"results column: error":          {"오류", "錯誤"},
	"results column: product":        {"제품", "產品"},
	"results column: order_id":       {"주문 ID", "訂單 ID"},
	"results column: request_id":     {"요청 ID", "請求 ID"},
	"results column: request_status": {"요청 상태", "請求狀態"},
	"results column: order_status":   {"주문 상태", "訂單狀態"},
	"results column: certificate_id": {"인증서 ID", "憑證 ID"},

	// Outcomes (order.Outcome), as the results file and the summaries
	// write them.
	"valid":       {"유효", "有效"},
	"ordered":     {"주문됨", "已訂購"},
	"skipped":     {"건너뜀", "已略過"},
	"held":        {"보류", "保留"},
	"invalid":     {"잘못됨", "無效"},
	"rejected":    {"거부됨", "遭拒絕"},
	"failed":      {"실패", "失敗"},
	"uncertain":   {"불확실", "不確定"},
	"not_reached": {"처리 안 됨", "未處理"},

	"sheet: Results": {"결과", "結果"},
	"sheet: Summary": {"요약", "摘要"},

	"summary sheet: batch":                       {"배치", "批次"},
	"summary sheet: started":                     {"시작", "開始時間"},
	"summary sheet: input":                       {"입력 파일", "輸入檔"},
	"summary sheet: endpoint":                    {"엔드포인트", "端點"},
	"summary sheet: production":                  {"운영 환경", "正式環境"},
	"summary sheet: sandbox (nothing is bought)": {"샌드박스(구매 없음)", "沙箱 (不會購買)"},
	"summary sheet: input column":                {"입력 열", "輸入欄"},
	"summary sheet: order field":                 {"주문 항목", "訂單欄位"},
	"summary sheet: how":                         {"방식", "方式"},
	"summary sheet: outcome":                     {"결과", "結果"},
	"summary sheet: rows":                        {"행 수", "列數"},
	"summary sheet: total":                       {"합계", "合計"},
	"summary sheet: product":                     {"제품", "產品"},
	"summary sheet: ordered (new)":               {"주문됨(신규)", "已訂購 (新)"},
	"summary sheet: ordered (recovered)":         {"주문됨(복구)", "已訂購 (復原)"},
}

// contextPrefixes start the keys that say what kind of word they are
// (a results column's header, a verb): their English is the rest of the
// key.
var contextPrefixes = []string{"results column: ", "sheet: ", "summary sheet: ", "verb: ", "verbed: "}

// contextEnglish is the English of the keys that start with one of
// contextPrefixes.
func contextEnglish() map[string]string {
	out := map[string]string{}
	for _, t := range tables {
		for key := range t {
			for _, prefix := range contextPrefixes {
				if len(key) > len(prefix) && key[:len(prefix)] == prefix {
					out[key] = key[len(prefix):]
				}
			}
		}
	}
	return out
}

// resultsErrs are the errors of reading and writing results files and
// templates (package results).
var resultsErrs = map[string][2]string{
	"create results %s: %w": {"결과 파일 %s 만들기: %w", "建立結果檔 %s: %w"},
	"create results %s: unknown file type %q; want .xlsx or .csv": {
		"결과 파일 %s 만들기: 알 수 없는 파일 형식 %q입니다. .xlsx 또는 .csv를 쓰십시오", "建立結果檔 %s: 未知的檔案類型 %q;請使用 .xlsx 或 .csv"},
	"create results: %w":  {"결과 파일 만들기: %w", "建立結果檔: %w"},
	"dropdown on %q: %w":  {"%q의 드롭다운: %w", "%q 的下拉清單: %w"},
	"filter: %w":          {"필터: %w", "篩選: %w"},
	"inspect %s: %w":      {"%s 확인: %w", "檢查 %s: %w"},
	"note on %q: %w":      {"%q의 메모: %w", "%q 的註解: %w"},
	"page layout: %w":     {"페이지 레이아웃: %w", "版面配置: %w"},
	"print titles: %w":    {"인쇄 제목: %w", "列印標題: %w"},
	"read results %s: %w": {"결과 파일 %s 읽기: %w", "讀取結果檔 %s: %w"},
	"read results %s: unknown file type %q; want .xlsx or .csv": {
		"결과 파일 %s 읽기: 알 수 없는 파일 형식 %q입니다. .xlsx 또는 .csv를 쓰십시오", "讀取結果檔 %s: 未知的檔案類型 %q;請使用 .xlsx 或 .csv"},
	"refresh statuses: %w": {"상태 갱신: %w", "更新狀態: %w"},
	"summary: %w":          {"요약: %w", "摘要: %w"},
	"line %d: the file is not UTF-8 text; save it as \"CSV UTF-8\"": {
		"%d번째 줄: UTF-8 텍스트가 아닙니다. \"CSV UTF-8\"로 저장하십시오", "第 %d 行: 檔案不是 UTF-8 文字;請另存為「CSV UTF-8」"},
	"no free name beside %s (tried up to %s-9999%s)": {
		"%s 옆에 비어 있는 이름이 없습니다(%s-9999%s까지 시도함)", "%s 旁沒有可用的檔名 (已試到 %s-9999%s)"},
	"not a certbatch results file: it is empty":   {"certbatch 결과 파일이 아닙니다: 비어 있습니다", "不是 certbatch 結果檔: 檔案是空的"},
	"not a certbatch results file: no %s column":  {"certbatch 결과 파일이 아닙니다: %s 열이 없습니다", "不是 certbatch 結果檔: 沒有 %s 欄"},
	"not a certbatch results file: no %s columns": {"certbatch 결과 파일이 아닙니다: %s 열이 없습니다", "不是 certbatch 結果檔: 沒有 %s 欄"},
	"results file already committed or aborted":   {"결과 파일을 이미 확정했거나 중단했습니다", "結果檔已確定或已中止"},
	"row %d: cell %d (%q) is beyond the last header column": {
		"%d행: %d번째 칸(%q)이 마지막 머리글 열보다 뒤에 있습니다", "第 %d 列: 第 %d 格 (%q) 超出最後一個標題欄"},
	"row %d: column %s: %q is not an ID":           {"%d행: %s 열: %q은(는) ID가 아닙니다", "第 %d 列: %s 欄: %q 不是 ID"},
	"row %d: column row: %q is not a row number":   {"%d행: row 열: %q은(는) 행 번호가 아닙니다", "第 %d 列: row 欄: %q 不是列號"},
	"temporary row file is corrupt":                {"임시 행 파일이 손상되었습니다", "暫存的列檔案已損毀"},
	"write %s: row %d has %d cells for %d columns": {"%s 쓰기: %d행에 %d칸이 있지만 열은 %d개입니다", "寫入 %s: 第 %d 列有 %d 格,但只有 %d 欄"},
	"write %s: row %d: %d input cells for %d input columns": {
		"%s 쓰기: %d행: 입력 열은 %[4]d개인데 입력 칸이 %[3]d개입니다", "寫入 %s: 第 %d 列: 有 %d 個輸入格,但只有 %d 個輸入欄"},
	"write %s: row %d: %w": {"%s 쓰기: %d행: %w", "寫入 %s: 第 %d 列: %w"},
	"write %s: unknown file type %q; want .csv or .xlsx": {
		"%s 쓰기: 알 수 없는 파일 형식 %q입니다. .csv 또는 .xlsx를 쓰십시오", "寫入 %s: 未知的檔案類型 %q;請使用 .csv 或 .xlsx"},
	"write template %s: %w":         {"템플릿 %s 쓰기: %w", "寫入範本 %s: %w"},
	"write template %s: no columns": {"템플릿 %s 쓰기: 열이 없습니다", "寫入範本 %s: 沒有欄"},
	"write template %s: unknown file type %q; want .xlsx or .csv": {
		"템플릿 %s 쓰기: 알 수 없는 파일 형식 %q입니다. .xlsx 또는 .csv를 쓰십시오", "寫入範本 %s: 未知的檔案類型 %q;請使用 .xlsx 或 .csv"},
	"write template: %w": {"템플릿 쓰기: %w", "寫入範本: %w"},
}
