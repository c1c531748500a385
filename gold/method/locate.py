# Locates a hand-written mention list (reading order) in the texts: offsets only, no tagging.
import csv, sys, unicodedata
def isword(c): return c.isalnum() or c == '_' or unicodedata.category(c).startswith('M')
rows=[]; doc=None; pos=0; text=None
for line in open(sys.argv[1], encoding='utf-8'):
    line=line.rstrip('\n')
    if not line or line.startswith('#'): continue
    if line.startswith('@'):
        doc=line[1:]; text=open(f'{sys.argv[2]}/{doc}.txt', encoding='utf-8', newline='').read(); pos=0; continue
    surf,label,norm=line.split('|')
    i=pos
    while True:
        i=text.find(surf,i)
        if i<0: sys.exit(f'not found: {doc} {surf} after {pos}')
        j=i+len(surf)
        if (i==0 or not isword(text[i-1])) and (j==len(text) or not isword(text[j])): break
        i+=1
    rows.append((doc,i,j,label,surf,norm)); pos=j
w=csv.writer(open(sys.argv[3],'w',encoding='utf-8',newline=''), lineterminator='\n')
w.writerow(['doc','start','end','label','text','norm'])
for r in rows: w.writerow(r)
print(len(rows))
