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
