package io.torque.examples.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * An inbound handler that keeps what its subclass leaves unread and offers it again, first, with
 * the next bytes (a composite buffer, so nothing is copied), as Netty's decoders do. One per
 * channel; runs on the channel's loop.
 */
public abstract class CumulatingHandler extends ChannelInboundHandlerAdapter {
    private ByteBuf cumulation;

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        cumulation = cumulation == null ? in : ctx.alloc().compositeBuffer().addComponents(true, cumulation, in);
        try {
            onBytes(ctx, cumulation);
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
        }
    }

    /** Reads what it can of {@code bytes} (moving its reader index); the rest comes again. */
    protected abstract void onBytes(ChannelHandlerContext ctx, ByteBuf bytes);

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
