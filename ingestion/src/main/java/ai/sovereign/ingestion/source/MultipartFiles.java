package ai.sovereign.ingestion.source;

import ai.sovereign.runtime.errors.ApiException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The file parts of a {@code multipart/form-data} body, in order, empty files included. The upload endpoint decodes
 * the body with Netty's multipart decoder itself because Micronaut 4.10's {@code MultipartBody} never emits a
 * zero-byte file part (micronaut-core #12498): an uploaded empty file would vanish from the answer instead of being
 * refused with its reason.
 */
final class MultipartFiles {

    private MultipartFiles() {}

    /** The file parts of {@code body}; a body that is not well-formed multipart is a 400 naming the field. */
    static List<UploadedFile> parse(String contentType, byte[] body) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload", Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostMultipartRequestDecoder decoder;
        try {
            decoder = new HttpPostMultipartRequestDecoder(
                    new DefaultHttpDataFactory(false), request, StandardCharsets.UTF_8);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw ApiException.badRequest(
                    "the upload is not a well-formed multipart/form-data body: " + e.getMessage(), "file");
        }
        try {
            List<UploadedFile> files = new ArrayList<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload file) {
                    files.add(new UploadedFile(file.getFilename(), declaredType(file), file.get()));
                }
            }
            return files;
        } catch (HttpPostRequestDecoder.NotEnoughDataDecoderException
                | HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw ApiException.badRequest(
                    "the upload is not a well-formed multipart/form-data body: " + e.getMessage(), "file");
        } catch (IOException e) {
            throw ApiException.badRequest("could not read a file part: " + e.getMessage(), "file");
        } finally {
            decoder.destroy();
            request.release();
        }
    }

    /** The part's own Content-Type; a part without one reads as {@code application/octet-stream}, as before. */
    private static String declaredType(FileUpload file) {
        return file.getContentType() == null ? "" : file.getContentType();
    }
}
