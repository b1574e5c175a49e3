package input

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The character sets and names plausible.go rates decoded text by.

// A character set's levels: 1 for the first (the commonest characters),
// 2 for the second. Built on first use by decoding every code of the
// levels, so a character counts by where any of its codes lies (the
// encoders of x/text prefer some HKSCS duplicates: 倩 is FA5F there,
// ADC5 in the Big5 Windows writes).
type levelTable map[rune]uint8

func buildLevels(e encoding.Encoding, ranges ...[3]int) levelTable {
	t := levelTable{}
	d := e.NewDecoder()
	for _, rg := range ranges { // lo, hi, level
		for v := rg[0]; v <= rg[1]; v++ {
			if v&0xff < 0x40 || v&0xff == 0x7f || v&0xff == 0xff {
				continue
			}
			b, err := d.Bytes([]byte{byte(v >> 8), byte(v)})
			if err != nil {
				continue
			}
			r, n := utf8.DecodeRune(b)
			if n != len(b) || r == utf8.RuneError {
				continue
			}
			if l, ok := t[r]; !ok || uint8(rg[2]) < l {
				t[r] = uint8(rg[2])
			}
		}
	}
	return t
}

// dbcs lists the rows lo..hi with the trail bytes of a double-byte
// character set (from 0xA1).
func dbcs(lo, hi, level int) [][3]int {
	var out [][3]int
	for lead := lo >> 8; lead <= hi>>8; lead++ {
		out = append(out, [3]int{max(lead<<8|0xa1, lo), min(lead<<8|0xfe, hi), level})
	}
	return out
}

var (
	// GB 2312 level 1 (B0A1-D7F9), level 2 (D8A1-F7FE).
	gbLevels = sync.OnceValue(func() levelTable {
		return buildLevels(simplifiedchinese.GBK, append(dbcs(0xb0a1, 0xd7fe, 1), dbcs(0xd8a1, 0xf7fe, 2)...)...)
	})
	// Big5's frequent characters (A440-C67E) and less frequent ones
	// (C940-F9D5).
	big5Levels = sync.OnceValue(func() levelTable {
		return buildLevels(traditionalchinese.Big5, [3]int{0xa440, 0xc67e, 1}, [3]int{0xc940, 0xf9d5, 2})
	})
	// JIS X 0208 level 1 (B0A1-CFD3) and level 2 (D0A1-F4A6), as EUC-JP.
	jisLevels = sync.OnceValue(func() levelTable {
		return buildLevels(japanese.EUCJP, append(dbcs(0xb0a1, 0xcfd3, 1), dbcs(0xd0a1, 0xf4a6, 2)...)...)
	})
	// KS X 1001's 2,350 Hangul syllables (B0A1-C8FE).
	ksHangul = sync.OnceValue(func() levelTable { return buildLevels(korean.EUCKR, dbcs(0xb0a1, 0xc8fe, 1)...) })
)

// The commonest surnames: mainland China (simplified), Taiwan and Hong
// Kong (traditional), Korea; compound ones too. Space-separated, with a
// space at both ends.
const (
	surnamesSimplified  = " 王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 许 韩 邓 冯 曹 彭 曾 肖 田 董 潘 袁 蔡 蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 卢 姚 沈 钟 姜 崔 谭 陆 范 汪 廖 石 金 韦 贾 夏 付 傅 方 邹 熊 白 孟 秦 邱 侯 江 尹 薛 闫 段 雷 龙 黎 史 陶 贺 毛 郝 顾 龚 邵 万 覃 武 钱 戴 严 莫 孔 向 常 汤 康 易 乔 赖 文 施 洪 辛 柯 庄 樊 殷 葛 牛 骆 舒 岳 关 齐 梅 申 祝 左 纪 鲁 欧阳 司马 上官 诸葛 东方 皇甫 公孙 慕容 令狐 "
	surnamesTraditional = " 陳 林 黃 黄 張 李 王 吳 劉 蔡 楊 許 鄭 謝 郭 洪 曾 邱 廖 賴 周 徐 蘇 葉 莊 呂 江 何 蕭 羅 高 潘 簡 朱 鍾 鐘 彭 游 詹 胡 施 沈 余 趙 盧 梁 顏 柯 孫 魏 翁 戴 范 宋 方 鄧 杜 傅 侯 曹 薛 丁 卓 阮 馬 董 溫 温 唐 藍 石 蔣 古 紀 姚 連 馮 歐 程 湯 田 康 姜 白 汪 鄒 尤 巫 黎 涂 龔 嚴 韓 袁 金 童 陸 夏 柳 邵 錢 伍 倪 于 譚 駱 熊 任 甘 秦 顧 毛 章 史 官 萬 俞 雷 饒 關 麥 譚 岑 歐陽 司馬 諸葛 上官 張簡 范姜 "
	surnamesKorean      = " 김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 계 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당 화 창 남궁 황보 제갈 선우 독고 사공 서문 "
)
