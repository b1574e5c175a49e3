package l10n

// templateMsgs are the fixed phrases of the template workbook and the
// starter config (templates.Msg*). The Korean follows the client
// certificate seed page's wording (필수, 허용되는 값, 기본값), the Chinese
// the document signing seed page's (必填, 選填, 允許的值, 預設).
var templateMsgs = map[string][2]string{
	"required":                            {"필수", "必填"},
	"optional":                            {"선택", "選填"},
	"required unless %s is given":         {"필수(%s을(를) 입력하면 제외)", "必填 (提供 %s 時除外)"},
	"required when %s is %s":              {"필수(%s이(가) %s일 때)", "必填 (%s 為 %s 時)"},
	"required when any %s field is given": {"필수(%s 항목을 하나라도 입력한 경우)", "必填 (提供任何 %s 欄位時)"},
	"allowed: %s":                         {"허용되는 값: %s", "允許的值: %s"},
	"default: %s":                         {"기본값: %s", "預設: %s"},
	"DigiCert's default: %s":              {"DigiCert 기본값: %s", "DigiCert 預設: %s"},
	"email addresses separated by ;":      {"세미콜론(;)으로 구분한 이메일 주소", "以 ; 分隔的電子郵件地址"},
	"email address":                       {"이메일 주소", "電子郵件地址"},
	"PEM certificate signing request":     {"PEM 형식 인증서 서명 요청(CSR)", "PEM 格式的憑證簽章要求 (CSR)"},
	"whole number":                        {"정수", "整數"},
	"true/false":                          {"true/false", "true/false"},
	"date yyyy-MM-dd":                     {"날짜 yyyy-MM-dd", "日期 yyyy-MM-dd"},
	"list separated by ;":                 {"세미콜론(;)으로 구분한 목록", "以 ; 分隔的清單"},
	"whole numbers separated by ;":        {"세미콜론(;)으로 구분한 정수", "以 ; 分隔的整數"},
	"JSON":                                {"JSON", "JSON"},
	"text":                                {"텍스트", "文字"},
	"the CertCentral product to order for this row":            {"이 행에서 주문할 CertCentral 제품", "此列要訂購的 CertCentral 產品"},
	"a config's product: is used for rows that leave it empty": {"비워 둔 행에는 설정 파일의 product: 값이 사용됩니다", "留空的列使用設定檔的 product:"},
	"Not allowed":                 {"허용되지 않는 값", "不允許的值"},
	"Pick a value from the list.": {"목록에서 값을 선택하십시오.", "請從清單中選擇一個值。"},
	"Example only: do not copy this row to the %s sheet. certbatch refuses a row that repeats the example.":                  {"예시일 뿐입니다. 이 행을 %s 시트에 복사하지 마십시오. certbatch는 예시와 같은 행을 주문하지 않습니다.", "僅為範例:請勿將此列複製到 %s 工作表。certbatch 會拒絕與範例相同的列。"},
	"certbatch batch configuration for %s, written with %s. Its headers are the template's, so no columns: block is needed.": {"%s용 certbatch 배치 설정 파일입니다(%s 템플릿과 함께 작성됨). 머리글이 템플릿의 기본 머리글이므로 columns: 블록이 필요 없습니다.", "%s 的 certbatch 批次設定檔,與 %s 一起產生。其標題是範本的預設標題,因此不需要 columns: 區塊。"},
	"The column that identifies a person across runs. Remove this line to identify people by their email.":                   {"실행할 때마다 같은 사람을 식별하는 열입니다. 이메일로 식별하려면 이 줄을 삭제하십시오.", "每次執行時用來識別同一人的欄。若要以電子郵件識別,請刪除此行。"},
	"Constant order fields, used for rows that leave the column empty. Uncomment and fill in:":                               {"모든 행에 쓰이는 주문 상수입니다(열이 비어 있는 행에 사용). 주석을 해제하고 입력하십시오:", "每一列共用的訂單常數 (用於該欄留空的列)。請取消註解並填寫:"},
	"your CertCentral organization ID":    {"CertCentral 조직 ID", "您的 CertCentral 組織 ID"},
	"No required field needs a constant.": {"상수가 필요한 필수 항목이 없습니다.", "沒有需要常數的必填欄位。"},
	"without it each order waits in needs_approval until an administrator approves it (certbatch approve); true needs a key allowed to skip approval": {"없으면 관리자가 승인할 때까지 각 주문이 needs_approval 상태로 기다립니다(certbatch approve). true는 승인 생략이 허용된 키가 필요합니다",
		"若未設定,每筆訂單都會停在 needs_approval,直到管理員核准 (certbatch approve);true 需要允許略過核准的金鑰"},
}
