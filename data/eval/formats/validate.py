"""Checks for the formats evaluation set (data/eval/formats).

Run:  python3 data/eval/formats/validate.py [--xsd PATH/akomantoso30.xsd]

Independent of Pacta's code: it uses lxml, python-docx and pypdfium2 only.
It checks that every JSON line parses, every named file exists and every file is
described, that the AKN files parse (and validate against the AKN 3.0 schema when
--xsd is given), recounts the provisions of each version mechanically, checks that
every expected citation names a provision (and labels) present in the file, and
compares the word multisets of the pairs.
"""
import json, os, re, sys, collections
import lxml.etree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
AKN = '{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}'
problems = []

def bad(msg):
    problems.append(msg); print('  PROBLEM:', msg)

def text_of(path):
    if path.endswith('.docx'):
        import docx
        return '\n'.join(p.text for p in docx.Document(path).paragraphs)
    if path.endswith('.pdf'):
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(path)
        return '\n'.join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    if path.endswith('.html'):
        import lxml.html
        doc = lxml.html.parse(path).getroot()
        return '\n'.join(el.text_content() for el in doc.iter('h1', 'h2', 'h3', 'p'))
    return open(path, encoding='utf-8').read()

HEAD = re.compile(r'^(?:#+\s*)?(Article|ARTICLE|Artikel|ARTIKEL|Art\.|Artículo|ARTÍCULO)\s+(premier|PREMIER|[0-9]+(?:\.[0-9]+)?|[IVXLC]+)\b:?(?:\s+[–-]\s+.*|\s*$|:.*)', re.M)
ROMAN = {'I':1,'V':5,'X':10,'L':50,'C':100}
def numval(s):
    if s.lower() == 'premier': return 1.0
    if re.fullmatch(r'[IVXLC]+', s):
        v = 0
        for a, b in zip(s, s[1:] + ' '):
            v += -ROMAN[a] if b != ' ' and ROMAN.get(b, 0) > ROMAN[a] else ROMAN[a]
        return float(v)
    return float(s.split('.')[0]) * 1000 + (float(s.split('.')[1]) if '.' in s else 0)

def text_versions(txt):
    """split into versions at restarts of the article numbering"""
    heads = [(m.start(), m.group(2)) for m in HEAD.finditer(txt)]
    versions = []; last = None
    for pos, n in heads:
        v = numval(n)
        if last is None or v <= last:
            versions.append([])
        versions[-1].append((pos, n)); last = v
    out = []
    for k, ver in enumerate(versions):
        end = versions[k + 1][0][0] if k + 1 < len(versions) else len(txt)
        arts = {}
        for j, (pos, n) in enumerate(ver):
            stop = ver[j + 1][0] if j + 1 < len(ver) else end
            key = '1' if n.lower() == 'premier' else n
            arts[key] = txt[pos:stop]
        out.append(arts)
    return out

def akn_units(path):
    root = ET.parse(path).getroot()
    docs = [d for d in root.iter() if ET.QName(d).localname in ('act', 'bill', 'doc', 'amendment', 'judgment')]
    for d in docs:
        units = {}
        for el in d.iter():
            ln = ET.QName(el).localname
            if any(ET.QName(a).localname == 'quotedStructure' for a in el.iterancestors()):
                continue
            if ln in ('article', 'section', 'rule') or (ln == 'hcontainer' and el.get('name') == 'regulation'):
                pass
            elif ln == 'paragraph' and ET.QName(el.getparent()).localname == 'mainBody':
                pass
            else:
                continue
            num = el.find(AKN + 'num').text
            key = re.sub(r'^(Article|Rule|Section)\s+', '', num).strip().rstrip('.')
            units[key] = el
        if units:
            return units
    return {}

def sub_labels(cit):
    m = re.match(r'^(?:(Spanish|Dutch|French|German|English) text, )?(Art\.|s\.|r\.|reg\.|para\.) ([0-9.]+[0-9]|[0-9]+|[IVXLC]+)((?:\([^)]+\))*)$', cit)
    if not m: return None
    return m.group(1), m.group(2), m.group(3), re.findall(r'\(([^)]+)\)', m.group(4))

LANG = {'Spanish': 'es', 'Dutch': 'nl', 'French': 'fr', 'German': 'de', 'English': 'en'}

def check_text_label(chunk, lab):
    pats = [rf'(?m)^\s*(?:{re.escape(lab)}\.|\({re.escape(lab)}\)|{re.escape(lab)}\)|{re.escape(lab)})\s']
    return any(re.search(p, chunk) for p in pats)

def check_file(folder, row):
    path = os.path.join(folder, row['file'])
    if not os.path.exists(path):
        bad(f'{row["file"]}: missing'); return
    total = sum(1 for _ in [0])
    if row['format'] == 'akn':
        ET.parse(path)
        units = akn_units(path)
        n = len(units)
        if n != row['articles'] or n != row['versions'][0]['articles']:
            bad(f'{row["file"]}: recount {n} != expected {row["articles"]}')
        for cit in row['citations']:
            lang, kind, num, labs = sub_labels(cit)
            el = units.get(num)
            if el is None: bad(f'{row["file"]}: {cit}: unit {num} not found'); continue
            cur = el
            for lab in labs:
                nxt = None
                for c in cur.iter():
                    if c is cur: continue
                    nm = c.find(AKN + 'num')
                    if nm is not None and nm.text.strip('().') == lab:
                        nxt = c; break
                if nxt is None: bad(f'{row["file"]}: {cit}: label ({lab}) not found'); break
                cur = nxt
        print(f'  {row["file"]}: {n} provisions ok' if n == row['articles'] else '')
        return
    txt = text_of(path)
    vers = text_versions(txt)
    counts = [len(v) for v in vers]
    exp = [v['articles'] for v in row['versions']]
    if counts != exp or row['articles'] != exp[0]:
        bad(f'{row["file"]}: recount per version {counts} != expected {exp}')
    else:
        print(f'  {row["file"]}: versions {counts} ok')
    for cit in row['citations']:
        lang, kind, num, labs = sub_labels(cit)
        vi = 0 if lang is None else [v['language'] for v in row['versions']].index(LANG[lang])
        chunk = vers[vi].get(num) if vi < len(vers) else None
        if chunk is None: bad(f'{row["file"]}: {cit}: article {num} not in version {vi+1}'); continue
        for lab in labs:
            j = None
            for p in (rf'(?m)^\s*{re.escape(lab)}\.?\s', rf'(?m)^\s*\({re.escape(lab)}\)\s', rf'(?m)^\s*{re.escape(lab)}\)\s'):
                mm = re.search(p, chunk)
                if mm: j = mm.end(); break
            if j is None: bad(f'{row["file"]}: {cit}: label {lab} not found'); break
            chunk = chunk[j:]

def words(path, drop_lines=()):
    t = text_of(path)
    lines = [l for l in t.split('\n') if l.strip() not in drop_lines and not re.fullmatch(r'\s*(Page\s+)?-?\s*\d+\s*-?\s*|\s*page\s+\d+\s*', l)]
    t = ' '.join(lines).replace('-\n', '')
    return collections.Counter(w for w in re.findall(r'\w+', t))

def repeated_lines(path):
    if not path.endswith('.pdf'): return set()
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    pages = [set(l.strip() for l in pdf[i].get_textpage().get_text_range().split('\n') if l.strip()) for i in range(len(pdf))]
    return set.intersection(*pages) if len(pages) > 1 else set()

def main():
    xsd = None
    if '--xsd' in sys.argv:
        xsd = ET.XMLSchema(ET.parse(sys.argv[sys.argv.index('--xsd') + 1]))
    for split in ('dev', 'heldout'):
        folder = os.path.join(HERE, split)
        print(f'== {split}')
        rows = [json.loads(l) for l in open(os.path.join(folder, 'expected.jsonl'), encoding='utf-8')]
        pairs = [json.loads(l) for l in open(os.path.join(folder, 'pairs.jsonl'), encoding='utf-8')]
        named = {r['file'] for r in rows}
        if len(named) != len(rows): bad(f'{split}: duplicate file entries')
        on_disk = {f for f in os.listdir(folder) if not f.endswith('.jsonl')}
        if on_disk != named: bad(f'{split}: files on disk {sorted(on_disk ^ named)} not matched')
        for r in rows:
            for k in ('file', 'format', 'class', 'articles', 'citations', 'versions', 'date_signed', 'date_signed_ambiguous', 'date_in_force', 'parties', 'note'):
                if k not in r: bad(f'{r.get("file")}: key {k} missing')
            if r['date_signed_ambiguous'] and r['date_signed'] is not None: bad(f'{r["file"]}: ambiguous but dated')
            check_file(folder, r)
            if r['format'] == 'akn' and xsd is not None:
                if not xsd.validate(ET.parse(os.path.join(folder, r['file']))):
                    bad(f'{r["file"]}: AKN schema: {xsd.error_log.last_error}')
                else:
                    print(f'  {r["file"]}: valid AKN 3.0')
        for pr in pairs:
            a, b = [os.path.join(folder, f) for f in pr['files']]
            for f in pr['files']:
                if f not in named: bad(f'pairs: {f} not in expected.jsonl')
            drop = repeated_lines(a) | repeated_lines(b)
            wa, wb = words(a, drop), words(b, drop)
            same = (wa == wb)
            if same != pr['same']:
                diff = (wa - wb) + (wb - wa)
                bad(f'pair {pr["files"]}: word multisets equal={same}, expected same={pr["same"]}; diff {list(diff.items())[:12]}')
            else:
                print(f'  pair {pr["files"]}: same={same} ok')
    print('problems:', len(problems))
    sys.exit(1 if problems else 0)

if __name__ == '__main__':
    main()
