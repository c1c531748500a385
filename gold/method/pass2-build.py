import csv, re, glob, os
A,P,F='ACTOR','PLACE','FIGURE'
UN='United Nations'; UNSC='United Nations Security Council'; LONG='United Nations Multidimensional Integrated Stabilization Mission in Mali'
def un(s='UN'): return (s,A,UN)
M=('Mali',P,'Mali'); MIN=('MINUSMA',A,'MINUSMA'); MINU=('MINUMSA',A,'MINUSMA')
LM=(LONG,A,'MINUSMA')
E={}
E['000_00b06ec917ecedbf']=[
 M,un(),un(),
 M,un(),un(),
 M,un(),MIN,('Bamako',P,'Bamako'),un('United Nations'),
 un(),('hundreds',F,''),M,LM,MIN,
 MIN,un('United Nations'),
 ('UN High Commissioner for Human Rights',A,'OHCHR'),('OHCHR',A,'OHCHR'),('Moura',P,'Moura'),('500',F,'500'),('OHCHR',A,'OHCHR'),M,
 MIN,un(),
]
E['001_ff4f1ff15acc1bdf']=[
 MIN,('Aguelhok',P,'Aguelhok'),M,
 M,un(),un(),('48',F,'48'),
 ('UN Security Council',A,UNSC),M,
 M,un(),un(),
 ('Abdoulaye Maiga',A,'Abdoulaye Maïga'),('Guillaume Ngefa Atonodok Andali',A,'Guillaume Ngefa Atonodok Andali'),MIN,('UN Security Council',A,UNSC),M,
 ('Andali',A,'Guillaume Ngefa Atonodok Andali'),('Maiga',A,'Abdoulaye Maïga'),
 ('Aminata Cheick Dicko',A,'Aminata Cheick Dicko'),('Wagner',A,'Wagner Group'),
 M,MIN,
 un(),
 ('UNSC',A,UNSC),un(),('Richard Mills',A,'Richard Mills'),('Wagner',A,'Wagner Group'),M,
 ('Mills',A,'Richard Mills'),MIN,('237',F,'237'),
 MIN,LM,M,
 ('nine',F,'9'),
 MIN,('Olivier Salgado',A,'Olivier Salgado'),
 ('AFP',A,'AFP'),('Reuters',A,'Reuters'),
]
R=('Russia',P,'Russia'); W=('Wagner',A,'Wagner Group'); G=('Assimi Goita',A,'Assimi Goïta'); D=('Diop',A,'Abdoulaye Diop')
E['002_d31366d91d9c24c3']=[
 M,un(),
 R,W,
 G,
 M,un(),
 M,un(),
 MIN,M,
 G,MIN,('France',P,'France'),
 R,W,
 M,('Foreign Ministry',A,'Ministry of Foreign Affairs of Mali'),(UNSC,A,UNSC),
 M,MIN,('Abdoulaye Diop',A,'Abdoulaye Diop'),('UN Security Council',A,UNSC),un(),
 MIN,('El Ghassim Wane',A,'El Ghassim Wane'),D,('AFP',A,'AFP'),
 ('Security Council',A,UNSC),D,un(),un(),
 ('Antonio Guterres',A,'António Guterres'),('three',F,'3'),un(),
 MIN,M,D,
 un(),W,
 MIN,LM,M,
 ('nine',F,'9'),
 MIN,('Olivier Salgodo',A,'Olivier Salgado'),
 M,('48',F,'48'),
 ('Security Council',A,UNSC),MIN,M,('nine',F,'9'),R,('China',P,'China'),('United States',P,'United States'),('Britain',P,'United Kingdom'),('France',P,'France'),
 ('al Qaeda',A,'Al-Qaeda'),('Islamic State',A,'Islamic State'),M,('Sahel',P,'Sahel'),('Thousands',F,''),('six million',F,'6000000'),un(),
]
UNd=('U.N.',A,UN)
E['003_504e93436d5192cb']=[
 M,un(),
 M,un('United Nations'),
 ('11',F,'11'),M,UNd,
 UNd,M,MIN,M,
 M,
 M,MIN,M,('49',F,'49'),('Ivory Coast',P,'Ivory Coast'),UNd,('Bamako',P,'Bamako'),
 MIN,('Twitter',A,'Twitter'),UNd,
 UNd,('Moura',P,'Moura'),M,
 MIN,('50',F,'50'),('Hombori',P,'Hombori'),M,
 M,R,
 M,R,('Wagner Group',A,'Wagner Group'),('10',F,'10'),('France',P,'France'),M,('Kremlin',A,'Kremlin'),
 ('Voice of America',A,'Voice of America'),
]
E['004_e2ca1782c0837a43']=[
 ('Google',A,'Google'),
 un(),
 un(),('49',F,'49'),
 un(),
 MINU,
 ('AFP',A,'AFP'),
 M,un('United Nations'),un(),MINU,
 un(),
 un(),('Olivier Salgado',A,'Olivier Salgado'),MINU,
 ('Farhan Haq',A,'Farhan Haq'),
 un(),('49',F,'49'),
 ('Ivory Coast',P,'Ivory Coast'),MINU,un(),
 ('four',F,'4'),('Bamako',P,'Bamako'),
 ('13,000',F,'13000'),MINU,
 un(),
 un(),M,('177',F,'177'),MINU,('UN Security Council',A,UNSC),M,un(),
 ('Assimi Goïta',A,'Assimi Goïta'),
 ('2,400',F,'2400'),('Niger',P,'Niger'),M,('France',P,'France'),
 ('Kremlin',A,'Kremlin'),('Wagner Group',A,'Wagner Group'),('1,000',F,'1000'),('300',F,'300'),
 ('UN Refugee Agency',A,'UNHCR'),('400,000',F,'400000'),('Burkina Faso',P,'Burkina Faso'),('Niger',P,'Niger'),
]
rows=[]
for doc,ents in E.items():
    t=open(f'/tmp/annot2/texts/{doc}.txt',encoding='utf-8',newline='').read()
    pos=0
    for s,l,n in ents:
        pat=r'(?<![\w.])'+re.escape(s)+(r'(?!\w)' if not s.endswith('.') else r'(?![\w])')
        m=re.compile(pat).search(t,pos)
        assert m, (doc,s,pos,t[pos:pos+80])
        # report skipped text containing the same surface (possible missed mention)
        rows.append([doc,m.start(),m.end(),l,t[m.start():m.end()],n])
        pos=m.end()
rows.sort(key=lambda r:(r[0],r[1]))
for a,b in zip(rows,rows[1:]):
    if a[0]==b[0]: assert a[2]<=b[1],(a,b)
for r in rows:
    t=open(f'/tmp/annot2/texts/{r[0]}.txt',encoding='utf-8',newline='').read()
    assert t[r[1]:r[2]]==r[4]
with open('/tmp/annot2/annotations.csv','w',encoding='utf-8',newline='') as f:
    w=csv.writer(f); w.writerow(['doc','start','end','label','text','norm']); w.writerows(rows)
print(len(rows))
