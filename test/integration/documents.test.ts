/**
 * Issue 9 §2: the document store of manual appeals, over real HTTP on real PostgreSQL. A route of
 * this test only (not shipped) takes uploads with the multipart helper and serves reads, the way
 * the appeals controller will.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, HttpCode, Param, Post, Res, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { RequestContext } from '@mikro-orm/core';
import type { Response } from 'express';
import { ApiExceptionFilter } from '../../apps/api/src/common/exception.filter';
import { correlationMiddleware } from '../../apps/api/src/common/correlation';
import { InputPipe } from '../../apps/api/src/common/input.pipe';
import { DocumentsModule } from '../../apps/api/src/documents/documents.module';
import { DocumentsService, type DocumentUpload } from '../../apps/api/src/documents/documents.service';
import { AcceptDocuments, UploadedDocuments } from '../../apps/api/src/documents/multipart';
import { parseConfig } from '../../libs/config/src/config';
import { AppConfigModule } from '../../libs/config/src/config.module';
import { newId } from '../../libs/domain/src/ids';
import { DOCUMENT_STORE } from '../../libs/integrations/src/documents/document-store.port';
import type { FilesystemDocumentStore } from '../../libs/integrations/src/documents/filesystem-document-store';
import { CaseDocument, CaseDocumentCount } from '../../libs/persistence/src/entities';
import { PersistenceModule } from '../../libs/persistence/src/nest/persistence.module';
import { createTestDatabase, type TestDatabase } from '../support/databases';

@Controller('test-cases/:caseId/documents')
class TestDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @HttpCode(201)
  @AcceptDocuments()
  upload(@Param('caseId') caseId: string, @UploadedDocuments() files: DocumentUpload[]) {
    return this.documents.upload({ caseId, uploadedBy: `applicant:${caseId}`, files });
  }

  @Get()
  list(@Param('caseId') caseId: string) {
    return this.documents.list(caseId);
  }

  @Get(':documentId')
  async read(
    @Param('caseId') caseId: string,
    @Param('documentId') documentId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { meta, bytes } = await this.documents.read(caseId, documentId);
    res.type(meta.contentType).send(bytes);
  }
}

const MB = 1024 * 1024;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1');
/** A distinctive 64-byte marker: it must never appear in a stored file. */
const MARKER = Buffer.from('<<CLEAR-TEXT-MARKER:appeal-document:0123456789abcdefghijklmnop>>');

const doc = (magic: Buffer, extra = 200) => Buffer.concat([magic, MARKER, Buffer.alloc(extra, 0x41)]);

interface Part {
  name: string;
  bytes: Buffer;
  label?: string;
}

describe('appeal documents (issue 9 §2)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;
  let storeDir: string;
  let store: FilesystemDocumentStore;
  let service: DocumentsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    storeDir = mkdtempSync(join(tmpdir(), 'ac-documents-'));
    const config = parseConfig({
      LOG_LEVEL: 'error',
      DATABASE_URL: db.config.url,
      DOCUMENT_STORE_DIR: storeDir,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(config),
        PersistenceModule.forRoot(config.database, db.orm),
        DocumentsModule,
      ],
      controllers: [TestDocumentsController],
      providers: [
        { provide: APP_PIPE, useValue: new InputPipe() },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    }).compile();
    const nest = moduleRef.createNestApplication<NestExpressApplication>({
      bodyParser: false,
      logger: ['error'],
    });
    nest.use(correlationMiddleware);
    nest.use((_req: unknown, _res: unknown, next: () => void) => RequestContext.create(db.orm.em, next));
    nest.useBodyParser('json', { limit: '256kb' });
    app = nest;
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    store = app.get<FilesystemDocumentStore>(DOCUMENT_STORE);
    service = app.get(DocumentsService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.dispose();
    rmSync(storeDir, { recursive: true, force: true });
  });

  async function upload(caseId: string, parts: Part[]) {
    const form = new FormData();
    for (const p of parts) form.append('files', new Blob([p.bytes]), p.name);
    for (const p of parts) form.append('labels', p.label ?? 'other');
    const res = await fetch(`${url}/test-cases/${caseId}/documents`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  const blobsOf = (caseId: string): string[] => {
    try {
      return readdirSync(join(storeDir, 'cases', caseId));
    } catch {
      return [];
    }
  };

  it('accepts JPEG, PNG and PDF by their bytes, whatever their names say', async () => {
    const caseId = newId();
    const res = await upload(caseId, [
      { name: 'front.pdf', bytes: doc(JPEG), label: 'id_front' },
      { name: 'back', bytes: doc(PNG), label: 'id_back' },
      { name: 'licence.png', bytes: doc(PDF), label: 'licence' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      expect.objectContaining({ label: 'id_front', contentType: 'image/jpeg', sizeBytes: doc(JPEG).length }),
      expect.objectContaining({ label: 'id_back', contentType: 'image/png' }),
      expect.objectContaining({ label: 'licence', contentType: 'application/pdf' }),
    ]);
    // No original name anywhere: not in the answer, not in the row.
    expect(JSON.stringify(res.body)).not.toContain('front.pdf');
    const listed = await fetch(`${url}/test-cases/${caseId}/documents`).then(
      (r) => r.json() as Promise<unknown[]>,
    );
    expect(listed).toHaveLength(3);

    const read = await fetch(
      `${url}/test-cases/${caseId}/documents/${(res.body as Array<{ id: string }>)[2].id}`,
    );
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toContain('application/pdf');
    expect(Buffer.from(await read.arrayBuffer()).equals(doc(PDF))).toBe(true);
  });

  it('refuses a text file named .jpg with a 415 naming the file, and stores nothing', async () => {
    const caseId = newId();
    const res = await upload(caseId, [
      { name: 'fine.png', bytes: doc(PNG) },
      { name: 'passport.jpg', bytes: Buffer.from('just some text, not an image at all') },
    ]);
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'document_type_not_allowed', file: 'passport.jpg' });
    expect(res.body.error.message).toContain('passport.jpg');
    expect(blobsOf(caseId)).toEqual([]);
    expect(await db.orm.em.fork().count(CaseDocument, { caseId })).toBe(0);
  });

  it('refuses an 11 MB file with a 413 naming the file and "10 MB"; exactly 10 MB passes', async () => {
    const caseId = newId();
    const big = Buffer.concat([JPEG, Buffer.alloc(11 * MB - JPEG.length, 0x20)]);
    const res = await upload(caseId, [{ name: 'scan-huge.jpg', bytes: big }]);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({
      code: 'document_too_large',
      file: 'scan-huge.jpg',
      limit: '10 MB',
    });
    expect(res.body.error.message).toContain('scan-huge.jpg');
    expect(res.body.error.message).toContain('10 MB');

    const exact = Buffer.concat([PNG, Buffer.alloc(10 * MB - PNG.length, 0x20)]);
    expect((await upload(caseId, [{ name: 'exact.png', bytes: exact }])).status).toBe(201);
  });

  it('refuses the 9th document of a case (409), and 9 files in one request (413)', async () => {
    const caseId = newId();
    const eight = Array.from({ length: 8 }, (_, i) => ({ name: `page-${i + 1}.pdf`, bytes: doc(PDF) }));
    expect((await upload(caseId, eight)).status).toBe(201);
    const ninth = await upload(caseId, [{ name: 'ninth.png', bytes: doc(PNG) }]);
    expect(ninth.status).toBe(409);
    expect(ninth.body.error).toMatchObject({
      code: 'document_limit_reached',
      file: 'ninth.png',
      limit: 8,
      held: 8,
    });
    expect(blobsOf(caseId)).toHaveLength(8);

    const nine = Array.from({ length: 9 }, (_, i) => ({ name: `p${i}.pdf`, bytes: doc(PDF) }));
    const tooMany = await upload(newId(), nine);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'too_many_documents', limit: 8 });
  });

  it('refuses a label that is not a short lower-case word, naming the file', async () => {
    const res = await upload(newId(), [{ name: 'x.png', bytes: doc(PNG), label: 'ID Front' }]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'document_label_invalid',
      field: 'labels.0',
      file: 'x.png',
    });
  });

  it('keeps concurrent uploads to one case within 8, and leaves no blob of a refused one', async () => {
    const caseId = newId();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upload(caseId, [
          { name: `a${i}.png`, bytes: doc(PNG) },
          { name: `b${i}.pdf`, bytes: doc(PDF) },
        ]),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 409, 409]);
    expect(await db.orm.em.fork().count(CaseDocument, { caseId })).toBe(8);
    expect(blobsOf(caseId)).toHaveLength(8);

    // Straight at the service too, one file each: still 8.
    const other = newId();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        service.upload(
          {
            caseId: other,
            uploadedBy: 'staff:01STAFF',
            files: [{ label: 'other', originalName: `${i}.jpg`, bytes: doc(JPEG) }],
          },
          db.orm.em.fork(),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(8);
    expect((await db.orm.em.fork().findOneOrFail(CaseDocumentCount, { caseId: other })).count).toBe(8);
    expect(await db.orm.em.fork().count(CaseDocument, { caseId: other })).toBe(8);
    expect(blobsOf(other)).toHaveLength(8);
  });

  it('stores the bytes encrypted: the stored file does not hold the uploaded bytes in the clear', async () => {
    const caseId = newId();
    const res = await upload(caseId, [{ name: 'id.jpg', bytes: doc(JPEG, 5000) }]);
    expect(res.status).toBe(201);
    const id = (res.body as Array<{ id: string }>)[0].id;
    const stored = readFileSync(store.pathOf(`cases/${caseId}/${id}`));
    expect(stored.includes(MARKER)).toBe(false);
    expect(stored.includes(MARKER.subarray(0, 16))).toBe(false);
    expect(stored.length).toBeGreaterThan(doc(JPEG, 5000).length);
    const row = await db.orm.em.fork().findOneOrFail(CaseDocument, { id }, { populate: ['wrappedKey'] });
    expect(row.wrappedKey).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('id.jpg');
  });

  it('refuses to serve a tampered stored file (500 document_integrity_failed, no bytes)', async () => {
    const caseId = newId();
    const res = await upload(caseId, [{ name: 'id.png', bytes: doc(PNG, 2000) }]);
    const id = (res.body as Array<{ id: string }>)[0].id;
    const path = store.pathOf(`cases/${caseId}/${id}`);
    const stored = readFileSync(path);
    stored[stored.length - 100] ^= 0xff;
    writeFileSync(path, stored);
    const read = await fetch(`${url}/test-cases/${caseId}/documents/${id}`);
    expect(read.status).toBe(500);
    const body = (await read.json()) as { error: { code: string } };
    expect(body.error.code).toBe('document_integrity_failed');
    expect(JSON.stringify(body)).not.toContain(MARKER.toString());
  });

  it('serves a document only under its own case (404 under another)', async () => {
    const caseId = newId();
    const res = await upload(caseId, [{ name: 'a.pdf', bytes: doc(PDF) }]);
    const id = (res.body as Array<{ id: string }>)[0].id;
    expect((await fetch(`${url}/test-cases/${newId()}/documents/${id}`)).status).toBe(404);
  });

  it('refuses a body that is not multipart with a 415', async () => {
    const res = await fetch(`${url}/test-cases/${newId()}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('deleteForCase removes the blobs and the rows, and may be repeated', async () => {
    const caseId = newId();
    const res = await upload(caseId, [
      { name: 'a.pdf', bytes: doc(PDF) },
      { name: 'b.png', bytes: doc(PNG) },
    ]);
    const id = (res.body as Array<{ id: string }>)[0].id;
    expect(blobsOf(caseId)).toHaveLength(2);
    expect(await service.deleteForCase(caseId, db.orm.em.fork())).toBe(2);
    expect(blobsOf(caseId)).toEqual([]);
    expect(await db.orm.em.fork().count(CaseDocument, { caseId })).toBe(0);
    expect(await db.orm.em.fork().count(CaseDocumentCount, { caseId })).toBe(0);
    expect(await service.deleteForCase(caseId, db.orm.em.fork())).toBe(0);
    expect((await fetch(`${url}/test-cases/${caseId}/documents/${id}`)).status).toBe(404);
  });
});
